//! A person's data, all of it, as one JSON document they can download: their profile
//! and choices, addresses, orders, ratings, notices and what was sent to them, the
//! browsers they use, their API tokens and webhooks (never a secret), and, for a maker,
//! their public profile and products. Built by one statement, so it is one consistent
//! picture.

use serde_json::Value;
use types::UserId;

use crate::{Error, Result, Services};

/// Everything stored about `user`, as the download gives it; each download is in the
/// audit log.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn collect(services: &Services, user: UserId) -> Result<Value> {
    let document = read(services, user).await?;
    let mut conn = services.pool.acquire().await?;
    crate::audit::record(&mut conn, Some(user), "user.export", "user", &user.to_string(), serde_json::json!({}))
        .await?;
    Ok(document)
}

async fn read(services: &Services, user: UserId) -> Result<Value> {
    let document = sqlx::query_scalar!(
        r#"select jsonb_build_object(
             'exported_at', now(),
             'profile', (select jsonb_build_object(
                 'email', u.email, 'name', u.name, 'locale', u.locale, 'bio', u.bio, 'location', u.location,
                 'website', u.website, 'social_links', u.social_links, 'created_at', u.created_at,
                 'email_verified_at', u.email_verified_at, 'last_login_at', u.last_login_at,
                 'phone', u.phone, 'phone_verified_at', u.phone_verified_at,
                 'roles', coalesce((select jsonb_agg(r.role order by r.role) from user_roles r where r.user_id = u.id), '[]'))),
             'notification_preferences', coalesce((select jsonb_agg(jsonb_build_object('topic', p.kind, 'channel', p.channel)
                 order by p.kind, p.channel) from notification_preferences p where p.user_id = u.id), '[]'),
             'addresses', coalesce((select jsonb_agg(jsonb_build_object(
                 'full_name', a.full_name, 'line1', a.line1, 'line2', a.line2, 'city', a.city, 'region', a.region,
                 'postal_code', a.postal_code, 'country', a.country, 'phone', a.phone, 'created_at', a.created_at)
                 order by a.created_at) from addresses a where a.user_id = u.id), '[]'),
             'orders', coalesce((select jsonb_agg(jsonb_build_object(
                 'number', g.number, 'created_at', g.created_at, 'currency', g.currency, 'total_minor', g.total_minor,
                 'ship_to', g.ship_to, 'test', g.is_test,
                 'parts', (select jsonb_agg(jsonb_build_object(
                     'number', s.number, 'status', s.status, 'subtotal_minor', s.subtotal_minor,
                     'carrier', s.carrier, 'tracking_number', s.tracking_number,
                     'lines', (select jsonb_agg(jsonb_build_object(
                         'product', l.product_name, 'quantity', l.quantity, 'unit_price_minor', l.unit_price_minor)
                         order by l.product_name) from order_lines l where l.sub_order_id = s.id))
                     order by s.number) from sub_orders s where s.group_id = g.id))
                 order by g.created_at) from order_groups g where g.customer_id = u.id), '[]'),
             'ratings', coalesce((select jsonb_agg(jsonb_build_object(
                 'product', (select p.name_en from products p where p.id = r.product_id),
                 'stars', r.stars, 'text', r.body, 'status', r.status, 'created_at', r.created_at)
                 order by r.created_at) from ratings r where r.customer_id = u.id), '[]'),
             'notifications', coalesce((select jsonb_agg(jsonb_build_object(
                 'kind', n.kind, 'params', n.params, 'link', n.link, 'read_at', n.read_at, 'created_at', n.created_at)
                 order by n.created_at) from notifications n where n.user_id = u.id), '[]'),
             'deliveries', coalesce((select jsonb_agg(jsonb_build_object(
                 'kind', d.kind, 'channel', d.channel, 'status', d.status, 'summary', d.summary,
                 'created_at', d.created_at) order by d.created_at)
                 from notice_deliveries d where d.user_id = u.id), '[]'),
             'browsers', coalesce((select jsonb_agg(jsonb_build_object(
                 'browser', v.browser, 'first_seen_at', v.first_seen_at, 'last_seen_at', v.last_seen_at)
                 order by v.first_seen_at) from user_devices v where v.user_id = u.id), '[]'),
             'push_devices', coalesce((select jsonb_agg(jsonb_build_object(
                 'device', s.device, 'created_at', s.created_at, 'last_sent_at', s.last_sent_at)
                 order by s.created_at) from push_subscriptions s where s.user_id = u.id), '[]'),
             'api_tokens', coalesce((select jsonb_agg(jsonb_build_object(
                 'name', t.name, 'prefix', t.prefix, 'scopes', t.scopes, 'created_at', t.created_at,
                 'expires_at', t.expires_at, 'last_used_at', t.last_used_at, 'revoked_at', t.revoked_at)
                 order by t.created_at) from api_tokens t where t.user_id = u.id), '[]'),
             'webhook_endpoints', coalesce((select jsonb_agg(jsonb_build_object(
                 'url', w.url, 'description', w.description, 'events', w.events, 'enabled', w.enabled,
                 'created_at', w.created_at) order by w.created_at)
                 from webhook_endpoints w where w.owner_id = u.id), '[]'),
             'maker', (select jsonb_build_object(
                 'display_name', c.display_name, 'slug', c.slug, 'kind', c.kind, 'status', c.status,
                 'bio_en', c.bio_en, 'bio_zh', c.bio_zh, 'location', c.location, 'website', c.website,
                 'products', coalesce((select jsonb_agg(jsonb_build_object(
                     'slug', p.slug, 'name', p.name_en, 'status', p.status, 'created_at', p.created_at)
                     order by p.created_at) from products p where p.creator_id = c.id), '[]'))
                 from creators c where c.user_id = u.id)
           ) as "document!"
           from users u where u.id = $1"#,
        user.0
    )
    .fetch_optional(&services.pool)
    .await?
    .ok_or(Error::NotFound)?;
    Ok(document)
}
