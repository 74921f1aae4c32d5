//! A maker's own figures: each product's funnel, where the views came from and which
//! searches led to them. The maker is found from the account, never asked for.

use sqlx::PgPool;
use types::{
    Locale, UserId,
    analytics::{MakerFigures, ProductFunnel},
    catalog::Money,
};

use super::Period;
use crate::{Error, Result};

/// The funnel of each product of the maker whose account is `user`, named in `locale`.
/// Someone who is not a maker has no figures (`NotFound`).
pub(super) async fn figures(pool: &PgPool, user: UserId, period: Period, locale: Locale) -> Result<MakerFigures> {
    let creator = sqlx::query_scalar!("select id from creators where user_id = $1", user.0)
        .fetch_optional(pool)
        .await?
        .ok_or(Error::NotFound)?;
    let (from, to) = period.bounds();
    let products = sqlx::query!(
        r#"select p.slug, case when $4 = 'zh' then p.name_zh else p.name_en end as "name!", p.currency,
                  p.status = 'published' as "live!",
                  sum(d.views)::int8 as "views!", sum(d.visitors)::int8 as "visitors!", sum(d.adds)::int8 as "adds!",
                  sum(d.units)::int8 as "purchases!", sum(d.revenue_minor)::int8 as "revenue!"
           from products p
           join analytics_product_daily d
             on d.product_id = p.id and d.day between $2::text::date and $3::text::date
           where p.creator_id = $1
           group by p.id
           order by 5 desc, 2"#,
        creator,
        from,
        to,
        locale.tag()
    )
    .fetch_all(pool)
    .await?;
    let live = sqlx::query_scalar!(
        r#"select count(*) as "n!" from products where creator_id = $1 and status = 'published'"#,
        creator
    )
    .fetch_one(pool)
    .await?;
    let seen_live = products.iter().filter(|p| p.live).count() as i64;
    let sources = sqlx::query!(
        r#"select source, sum(views)::int8 as "views!" from analytics_maker_sources
           where creator_id = $1 and day between $2::text::date and $3::text::date
           group by source order by 2 desc, source limit 10"#,
        creator,
        from,
        to
    )
    .fetch_all(pool)
    .await?;
    // The search log is the search module's; it is read here, never written.
    let searches = sqlx::query!(
        r#"select s.query, count(*)::int8 as "opened!" from search_log s
           join products p on p.id = s.clicked_product_id
           where p.creator_id = $1 and s.clicked_at >= $2::text::date
             and s.clicked_at < $3::text::date + 1
           group by s.query order by 2 desc, s.query limit 10"#,
        creator,
        from,
        to
    )
    .fetch_all(pool)
    .await?;
    Ok(MakerFigures {
        from,
        to,
        products: products
            .into_iter()
            .map(|p| ProductFunnel {
                slug: p.slug,
                name: p.name,
                views: p.views,
                visitors: p.visitors,
                adds: p.adds,
                purchases: p.purchases,
                revenue: Money::new(p.revenue, p.currency),
            })
            .collect(),
        unseen: (live - seen_live).max(0),
        sources: sources.into_iter().map(|s| (s.source, s.views)).collect(),
        searches: searches.into_iter().map(|s| (s.query, s.opened)).collect(),
    })
}
