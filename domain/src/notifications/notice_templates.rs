//! The templates admins edit, of the notices and of the account mails: the newest
//! version of each kind × channel × language is what people get. Version 1 is the code's text (`texts`), written at
//! start-up; saving adds a version, and bringing an earlier one back adds it again as
//! the newest, so nothing is ever lost. Owns `notice_templates`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use types::{
    ErrorCode, FieldError, Locale, TextEnum, UserId,
    notice_templates::{
        AccountMail, MAX_BODY, MAX_SUBJECT, Rendered, TemplateDetail, TemplateError, TemplateKey, TemplateKind,
        TemplateSummary, TemplateText, TemplateVersion, has_subject, uses,
    },
    notifications::NotificationKind,
    profile::NotificationChannel,
};

use super::{mail::Mail, texts};
use crate::{Error, Result, Services};

/// Every template there is.
pub fn every_key() -> impl Iterator<Item = TemplateKey> {
    TemplateKind::all().flat_map(|kind| {
        kind.channels().iter().flat_map(move |&channel| Locale::ALL.map(|locale| TemplateKey { kind, channel, locale }))
    })
}

/// Writes the code's text as version 1 of every template that has none yet. Safe to
/// run on every instance at once.
pub async fn seed(pool: &sqlx::PgPool) -> Result<()> {
    let (mut kinds, mut channels, mut locales, mut subjects, mut bodies) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for key in every_key() {
        let text = texts::default(key);
        kinds.push(key.kind.as_str());
        channels.push(key.channel.as_str());
        locales.push(key.locale.tag());
        subjects.push(text.subject);
        bodies.push(text.body);
    }
    sqlx::query!(
        "insert into notice_templates (kind, channel, locale, version, subject, body)
         select kind, channel, locale, 1, subject, body
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as t (kind, channel, locale, subject, body)
         on conflict do nothing",
        &kinds as &[&str],
        &channels as &[&str],
        &locales as &[&str],
        &subjects,
        &bodies
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The text in use for `key` (the code's, should the table not have it yet).
pub async fn current(conn: &mut PgConnection, key: TemplateKey) -> Result<TemplateText> {
    let row = sqlx::query!(
        "select subject, body from notice_templates where kind = $1 and channel = $2 and locale = $3
         order by version desc limit 1",
        key.kind.as_str(),
        key.channel.as_str(),
        key.locale.tag()
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map_or_else(|| texts::default(key), |r| TemplateText { subject: r.subject, body: r.body }))
}

/// The texts in use on `channel` in `locale` for `kinds`, in one query.
pub async fn current_for(
    conn: &mut PgConnection,
    channel: NotificationChannel,
    locale: Locale,
    kinds: &[NotificationKind],
) -> Result<HashMap<NotificationKind, TemplateText>> {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let rows = sqlx::query!(
        "select distinct on (kind) kind, subject, body from notice_templates
         where channel = $1 and locale = $2 and kind = any($3)
         order by kind, version desc",
        channel.as_str(),
        locale.tag(),
        &names as &[&str]
    )
    .fetch_all(conn)
    .await?;
    let mut found: HashMap<NotificationKind, TemplateText> = rows
        .into_iter()
        .filter_map(|r| Some((NotificationKind::parse(&r.kind)?, TemplateText { subject: r.subject, body: r.body })))
        .collect();
    for &kind in kinds {
        found.entry(kind).or_insert_with(|| texts::default(TemplateKey { kind: kind.into(), channel, locale }));
    }
    Ok(found)
}

/// Who a notice is worded for.
pub struct Reader<'a> {
    pub name: &'a str,
    pub locale: Locale,
}

/// The words of a notice of `kind` about `params`, acted on at `path` in the store, on
/// `channel`: the template in use for the reader's language, filled in.
pub async fn worded(
    conn: &mut PgConnection,
    site: &str,
    channel: NotificationChannel,
    to: Reader<'_>,
    kind: NotificationKind,
    params: &BTreeMap<String, String>,
    path: &str,
) -> Result<Rendered> {
    let values = texts::values(kind, to.locale, params, to.name, &format!("{site}{path}"), site);
    Ok(render(&current(conn, TemplateKey { kind: kind.into(), channel, locale: to.locale }).await?, &values))
}

/// The account mail `mail` to `email`, in the words of its template in use for the
/// reader's language; `link` is the one-time link of those that carry one.
pub async fn account_mail(
    conn: &mut PgConnection,
    site: &str,
    mail: AccountMail,
    to: Reader<'_>,
    email: &str,
    link: Option<&str>,
) -> Result<Mail> {
    let key = TemplateKey { kind: TemplateKind::Account(mail), channel: NotificationChannel::Email, locale: to.locale };
    let mut values = BTreeMap::from([("name".to_owned(), to.name.to_owned()), ("site".to_owned(), site.to_owned())]);
    values.extend(link.map(|link| ("link".to_owned(), link.to_owned())));
    let words = render(&current(conn, key).await?, &values);
    Ok(Mail { to: email.to_owned(), subject: words.subject, body: words.body })
}

/// `text` filled with `values`.
pub fn render(text: &TemplateText, values: &BTreeMap<String, String>) -> Rendered {
    use types::notice_templates::render;
    Rendered { subject: render(&text.subject, values), body: render(&text.body, values) }
}

/// Checks `text` for `key`: within its limits, no subject where the channel has none,
/// only the kind's variables, and those it cannot do without.
pub fn check(key: TemplateKey, text: &TemplateText) -> Result<()> {
    let allowed = texts::variables(key.kind);
    let required = texts::required(key.kind);
    let mut errors = Vec::new();
    let subject_needed = has_subject(key.channel);
    for (field, value, max, needed) in
        [("subject", &text.subject, MAX_SUBJECT, subject_needed), ("body", &text.body, MAX_BODY, true)]
    {
        let code = if !needed && !value.trim().is_empty() {
            Some(ErrorCode::InvalidInput)
        } else if needed && value.trim().is_empty() {
            Some(ErrorCode::Required)
        } else if value.chars().count() > max {
            Some(ErrorCode::TooLong)
        } else {
            match types::notice_templates::check(value, &allowed) {
                Ok(()) if field == "body" && required.iter().any(|&variable| !uses(value, variable)) => {
                    Some(ErrorCode::TemplateMissingVariable)
                }
                Ok(()) => None,
                Err(TemplateError::UnknownVariable(_)) => Some(ErrorCode::TemplateUnknownVariable),
                Err(TemplateError::Malformed) => Some(ErrorCode::TemplateMalformed),
            }
        };
        errors.extend(code.map(|code| FieldError::new(field, code)));
    }
    if errors.is_empty() { Ok(()) } else { Err(Error::Validation(errors)) }
}

/// What `text` would say, filled with sample values for a reader called `name`.
pub fn preview(services: &Services, key: TemplateKey, text: &TemplateText, name: &str) -> Result<Rendered> {
    check(key, text)?;
    Ok(render(text, &texts::sample_values(key.kind, key.locale, name, &services.settings.base_url)))
}

/// Every template with its version in use, in kind, channel and language order.
pub async fn list(services: &Services) -> Result<Vec<TemplateSummary>> {
    let rows = sqlx::query!(
        r#"select distinct on (t.kind, t.channel, t.locale) t.kind, t.channel, t.locale, t.version,
                  u.name as "author?", t.created_at as "created_at: DateTime<Utc>"
           from notice_templates t left join users u on u.id = t.author_id
           order by t.kind, t.channel, t.locale, t.version desc"#
    )
    .fetch_all(&services.pool)
    .await?;
    let found: HashMap<TemplateKey, TemplateSummary> = rows
        .into_iter()
        .filter_map(|r| {
            let key = TemplateKey {
                kind: TemplateKind::parse(&r.kind)?,
                channel: NotificationChannel::parse(&r.channel)?,
                locale: Locale::from_tag(&r.locale)?,
            };
            Some((key, TemplateSummary { key, version: r.version, author: r.author, updated_at: r.created_at }))
        })
        .collect();
    // In the order of the kinds, as the code names them; none missing should the seed not have run.
    Ok(every_key().filter_map(|key| found.get(&key).cloned()).collect())
}

/// One template's variables and versions, the meanings in `reader`'s language.
pub async fn detail(services: &Services, key: TemplateKey, reader: Locale, name: &str) -> Result<TemplateDetail> {
    let rows = sqlx::query!(
        r#"select t.version, t.subject, t.body, u.name as "author?", t.restored_from,
                  t.created_at as "created_at: DateTime<Utc>"
           from notice_templates t left join users u on u.id = t.author_id
           where t.kind = $1 and t.channel = $2 and t.locale = $3
           order by t.version desc"#,
        key.kind.as_str(),
        key.channel.as_str(),
        key.locale.tag()
    )
    .fetch_all(&services.pool)
    .await?;
    if rows.is_empty() {
        return Err(Error::NotFound);
    }
    Ok(TemplateDetail {
        key,
        variables: texts::described(key.kind, reader, key.locale, name, &services.settings.base_url),
        history: rows
            .into_iter()
            .map(|r| TemplateVersion {
                version: r.version,
                text: TemplateText { subject: r.subject, body: r.body },
                author: r.author,
                restored_from: r.restored_from,
                created_at: r.created_at,
            })
            .collect(),
    })
}

/// Saves `text` as the newest version of `key`, if `base` (the version the editor
/// started from) is still the newest: two admins editing at once do not overwrite
/// each other unseen.
#[tracing::instrument(skip_all, fields(admin = %admin, kind = key.kind.as_str()))]
pub async fn save(services: &Services, admin: UserId, key: TemplateKey, base: i32, text: &TemplateText) -> Result<i32> {
    check(key, text)?;
    add_version(services, admin, key, base, text, None).await
}

/// Brings back `version` of `key` as its newest.
#[tracing::instrument(skip_all, fields(admin = %admin, kind = key.kind.as_str()))]
pub async fn restore(services: &Services, admin: UserId, key: TemplateKey, base: i32, version: i32) -> Result<i32> {
    let text = sqlx::query!(
        "select subject, body from notice_templates where kind = $1 and channel = $2 and locale = $3 and version = $4",
        key.kind.as_str(),
        key.channel.as_str(),
        key.locale.tag(),
        version
    )
    .fetch_optional(&services.pool)
    .await?
    .ok_or(Error::NotFound)?;
    let text = TemplateText { subject: text.subject, body: text.body };
    add_version(services, admin, key, base, &text, Some(version)).await
}

async fn add_version(
    services: &Services,
    admin: UserId,
    key: TemplateKey,
    base: i32,
    text: &TemplateText,
    restored_from: Option<i32>,
) -> Result<i32> {
    let mut tx = services.pool.begin().await?;
    let newest = sqlx::query_scalar!(
        r#"select max(version) as "v!" from notice_templates where kind = $1 and channel = $2 and locale = $3"#,
        key.kind.as_str(),
        key.channel.as_str(),
        key.locale.tag()
    )
    .fetch_one(&mut *tx)
    .await?;
    if newest != base {
        return Err(Error::Conflict(ErrorCode::TemplateChanged));
    }
    let version = newest + 1;
    // The primary key refuses a second admin whose save raced this one past the check.
    let inserted = sqlx::query!(
        "insert into notice_templates (kind, channel, locale, version, subject, body, author_id, restored_from)
         values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict do nothing",
        key.kind.as_str(),
        key.channel.as_str(),
        key.locale.tag(),
        version,
        text.subject.trim(),
        text.body.trim(),
        admin.0,
        restored_from
    )
    .execute(&mut *tx)
    .await?;
    if inserted.rows_affected() == 0 {
        return Err(Error::Conflict(ErrorCode::TemplateChanged));
    }
    let action = if restored_from.is_some() { "template.restore" } else { "template.save" };
    crate::audit::record(
        &mut tx,
        Some(admin),
        action,
        "notice_template",
        &format!("{}/{}/{}", key.kind.as_str(), key.channel.as_str(), key.locale.tag()),
        json!({ "version": version, "restored_from": restored_from }),
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// Mails `text`, filled with sample values, to the admin trying it: what a reader
/// would get, marked as a test. Only mail has an inbox to try it in; the preview shows
/// the other channels exactly.
#[tracing::instrument(skip_all, fields(admin = %admin, kind = key.kind.as_str()))]
pub async fn send_test(services: &Services, admin: UserId, key: TemplateKey, text: &TemplateText) -> Result<()> {
    if key.channel != NotificationChannel::Email {
        return Err(Error::BadRequest(ErrorCode::InvalidInput));
    }
    let me = sqlx::query!("select email, name from users where id = $1", admin.0).fetch_one(&services.pool).await?;
    let rendered = preview(services, key, text, &me.name)?;
    let mail = Mail { to: me.email, subject: format!("[Test] {}", rendered.subject), body: rendered.body };
    services.mailer.send(&services.pool, &format!("template-test:{}", uuid::Uuid::new_v4()), mail).await?;
    Ok(())
}
