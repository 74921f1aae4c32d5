//! Portfolio items: work a creator shows on their public page. Drafted and edited in
//! the portal, submitted to the review queue, and shown once approved. The approved
//! version is kept whole in `published`, so edits wait for review while it stays on
//! the page. Owns `portfolio_items` and `portfolio_media`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use types::TextEnum;
use types::{
    ErrorCode, FieldError, Locale, UserId,
    files::{FileAccess, FileInfo, FileKind},
    ids::{CreatorId, FileId, PortfolioItemId},
    portfolio::{PortfolioDraft, PortfolioEntry, PortfolioStatus, ShowcaseItem},
    review::{Decision, ReviewKind},
};
use uuid::Uuid;

use super::{application::creator_event, creator_of};
use crate::{
    Error, RequestMeta, Result, Services,
    events::{self, EventMetadata, EventType},
    fields::Checker,
    files,
    review::queue,
    review::subjects::{Decided, Evidence, Subject},
};

/// Pictures, videos and documents per item.
pub const MAX_MEDIA: usize = 12;

/// The form as submitted; `media` are uploaded files' ids in display order.
#[derive(Debug, Clone, Default)]
pub struct PortfolioInput {
    pub title: String,
    pub description: String,
    pub category: String,
    pub media: Vec<String>,
}

/// What approval copies to the public page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Published {
    title: String,
    description: String,
    category_id: Option<Uuid>,
    media: Vec<FileId>,
}

struct Valid {
    title: String,
    description: String,
    category_id: Option<Uuid>,
    media: Vec<FileId>,
}

async fn validate(conn: &mut PgConnection, owner: UserId, input: &PortfolioInput) -> Result<Valid> {
    let mut c = Checker::default();
    let title = c.text("title", &input.title, true, 120);
    let description = c.text("description", &input.description, false, 5000);
    let category_id = match input.category.trim() {
        "" => None,
        slug => {
            let id = sqlx::query_scalar!("select id from categories where slug = $1", slug)
                .fetch_optional(&mut *conn)
                .await?;
            if id.is_none() {
                c.errors.push(FieldError::new("category", ErrorCode::NotFound));
            }
            id
        }
    };
    let media = files::attach::parse_ids(&input.media, "media", MAX_MEDIA, &mut c.errors);
    c.errors.extend(files::attach::check_owned(conn, owner, &media, &[], "media").await?);
    if c.errors.is_empty() {
        Ok(Valid { title, description, category_id, media })
    } else {
        Err(Error::Validation(c.errors))
    }
}

/// Creates an item (no `id`) or saves the caller's own. Editing an approved item
/// makes a new working version; the approved one stays public until the next
/// approval.
#[tracing::instrument(skip_all, fields(user = %user, id = ?id))]
pub async fn create_or_save(
    services: &Services,
    user: UserId,
    id: Option<PortfolioItemId>,
    input: &PortfolioInput,
) -> Result<PortfolioItemId> {
    let mut tx = services.pool.begin().await?;
    let creator = creator_of(&mut tx, user).await?;
    let valid = validate(&mut tx, user, input).await?;
    let id = match id {
        None => {
            let id = PortfolioItemId::new();
            sqlx::query!(
                "insert into portfolio_items (id, creator_id, title, description, category_id) values ($1, $2, $3, $4, $5)",
                id.0,
                creator.0,
                valid.title,
                valid.description,
                valid.category_id
            )
            .execute(&mut *tx)
            .await?;
            id
        }
        Some(id) => {
            let status = lock_own(&mut tx, creator, id).await?;
            if matches!(status, PortfolioStatus::Submitted | PortfolioStatus::Archived) {
                return Err(Error::Conflict(ErrorCode::AlreadyInReview));
            }
            sqlx::query!(
                "update portfolio_items
                 set title = $2, description = $3, category_id = $4, updated_at = now(),
                     status = case when status = 'approved' then 'draft' else status end
                 where id = $1",
                id.0,
                valid.title,
                valid.description,
                valid.category_id
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!("delete from portfolio_media where item_id = $1", id.0).execute(&mut *tx).await?;
            id
        }
    };
    let media: Vec<Uuid> = valid.media.iter().map(|f| f.0).collect();
    sqlx::query!(
        "insert into portfolio_media (item_id, file_id, position)
         select $1, file_id, position::int - 1 from unnest($2::uuid[]) with ordinality as m(file_id, position)",
        id.0,
        &media
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The item's status, locked; someone else's item is not found.
async fn lock_own(conn: &mut PgConnection, creator: CreatorId, id: PortfolioItemId) -> Result<PortfolioStatus> {
    let status = sqlx::query_scalar!(
        "select status from portfolio_items where id = $1 and creator_id = $2 for update",
        id.0,
        creator.0
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)?;
    PortfolioStatus::parse(&status).ok_or(Error::NotFound)
}

/// Sends the working version to review. It needs a picture to show.
#[tracing::instrument(skip_all, fields(user = %user, id = %id))]
pub async fn submit(services: &Services, user: UserId, id: PortfolioItemId, meta: &RequestMeta) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let creator = creator_of(&mut tx, user).await?;
    match lock_own(&mut tx, creator, id).await? {
        PortfolioStatus::Draft | PortfolioStatus::Rejected => {}
        PortfolioStatus::Archived => return Err(Error::NotFound),
        PortfolioStatus::Submitted | PortfolioStatus::Approved => {
            return Err(Error::Conflict(ErrorCode::AlreadyInReview));
        }
    }
    let draft = entries(&mut tx, &[id.0]).await?.pop().ok_or(Error::NotFound)?.draft;
    if !draft.media.iter().any(|m| m.kind == FileKind::Image) {
        return Err(Error::field("media", ErrorCode::ImageRequired));
    }
    sqlx::query!(
        "update portfolio_items set status = 'submitted', feedback = null, updated_at = now() where id = $1",
        id.0
    )
    .execute(&mut *tx)
    .await?;
    let snapshot = vec![
        ("title".to_owned(), draft.title.clone()),
        ("description".to_owned(), draft.description.clone()),
        ("category".to_owned(), draft.category.clone()),
        ("media".to_owned(), draft.media.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join("\n")),
    ];
    let item = queue::open(&mut tx, ReviewKind::PortfolioItem, id.0, creator, &draft.title, &snapshot).await?;
    let event = queue::submission_event(EventType::CreatorSubmissionCreated, creator, item, ReviewKind::PortfolioItem);
    events::publish(&mut tx, event, &EventMetadata::from_request(meta)).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes an item off the public page and out of the portal's list. Not while a
/// reviewer has it.
#[tracing::instrument(skip_all, fields(user = %user, id = %id))]
pub async fn archive(services: &Services, user: UserId, id: PortfolioItemId, meta: &RequestMeta) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let creator = creator_of(&mut tx, user).await?;
    match lock_own(&mut tx, creator, id).await? {
        PortfolioStatus::Submitted => return Err(Error::Conflict(ErrorCode::AlreadyInReview)),
        PortfolioStatus::Archived => return Ok(()),
        _ => {}
    }
    let was_public = sqlx::query_scalar!(
        r#"update portfolio_items set status = 'archived', updated_at = now() where id = $1
           returning published is not null as "public!""#,
        id.0
    )
    .fetch_one(&mut *tx)
    .await?;
    if was_public {
        // The public creator page changes: its caches follow this event.
        let event = creator_event(EventType::CreatorPortfolioChanged, creator, json!({ "portfolio_item_id": id }));
        events::publish(&mut tx, event, &EventMetadata::from_request(meta)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The review decision's effect, in its transaction: approval publishes the working
/// version; anything else sends it back with the feedback.
pub async fn apply_decision(
    conn: &mut PgConnection,
    id: PortfolioItemId,
    decision: Decision,
    feedback: &str,
) -> Result<()> {
    let status = sqlx::query_scalar!("select status from portfolio_items where id = $1 for update", id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    if PortfolioStatus::parse(&status) != Some(PortfolioStatus::Submitted) {
        return Err(Error::Internal(anyhow::anyhow!("portfolio item {id} is {status}, not awaiting review")));
    }
    if decision == Decision::Approve {
        let row = sqlx::query!("select title, description, category_id from portfolio_items where id = $1", id.0)
            .fetch_one(&mut *conn)
            .await?;
        let published = Published {
            title: row.title,
            description: row.description,
            category_id: row.category_id,
            media: media_ids(conn, id).await?,
        };
        sqlx::query!(
            "update portfolio_items set status = 'approved', feedback = null, published = $2, published_at = now()
             where id = $1",
            id.0,
            serde_json::to_value(&published).map_err(anyhow::Error::from)?
        )
        .execute(&mut *conn)
        .await?;
    } else {
        sqlx::query!("update portfolio_items set status = 'rejected', feedback = $2 where id = $1", id.0, feedback)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn media_ids(conn: &mut PgConnection, id: PortfolioItemId) -> Result<Vec<FileId>> {
    let ids = sqlx::query_scalar!("select file_id from portfolio_media where item_id = $1 order by position", id.0)
        .fetch_all(conn)
        .await?;
    Ok(ids.into_iter().map(FileId).collect())
}

/// The working version's media, for the reviewer.
pub async fn submitted_media(conn: &mut PgConnection, id: PortfolioItemId) -> Result<Vec<FileInfo>> {
    let ids = media_ids(conn, id).await?;
    Ok(files::records_in(conn, &ids).await?.into_iter().map(|r| r.info).collect())
}

/// Every item of the caller's that is not archived, most recently changed first.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn mine(services: &Services, user: UserId) -> Result<Vec<PortfolioEntry>> {
    let mut conn = services.pool.acquire().await?;
    let creator = creator_of(&mut conn, user).await?;
    let ids = sqlx::query_scalar!(
        "select id from portfolio_items where creator_id = $1 and status <> 'archived' order by updated_at desc limit 200",
        creator.0
    )
    .fetch_all(&mut *conn)
    .await?;
    entries(&mut conn, &ids).await
}

/// One of the caller's items.
#[tracing::instrument(skip_all, fields(user = %user, id = %id))]
pub async fn load(services: &Services, user: UserId, id: PortfolioItemId) -> Result<PortfolioEntry> {
    let mut conn = services.pool.acquire().await?;
    let creator = creator_of(&mut conn, user).await?;
    let owned = sqlx::query_scalar!(
        r#"select exists(select 1 from portfolio_items where id = $1 and creator_id = $2) as "owned!""#,
        id.0,
        creator.0
    )
    .fetch_one(&mut *conn)
    .await?;
    if !owned {
        return Err(Error::NotFound);
    }
    entries(&mut conn, &[id.0]).await?.pop().ok_or(Error::NotFound)
}

/// The items with these ids, in the order given, in three queries however many.
async fn entries(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<PortfolioEntry>> {
    let rows = sqlx::query!(
        r#"select i.id, i.status, i.feedback, i.published is not null as "public!",
                  i.updated_at as "updated_at: DateTime<Utc>", i.title, i.description, c.slug as "category?"
           from unnest($1::uuid[]) with ordinality as wanted(id, position)
           join portfolio_items i on i.id = wanted.id
           left join categories c on c.id = i.category_id
           order by wanted.position"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let media = sqlx::query!(
        "select item_id, file_id from portfolio_media where item_id = any($1) order by item_id, position",
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let infos = file_infos(conn, media.iter().map(|m| FileId(m.file_id))).await?;
    Ok(rows
        .into_iter()
        .map(|r| PortfolioEntry {
            id: PortfolioItemId(r.id),
            status: PortfolioStatus::parse(&r.status).unwrap_or(PortfolioStatus::Draft),
            draft: PortfolioDraft {
                title: r.title,
                description: r.description,
                category: r.category.unwrap_or_default(),
                media: media
                    .iter()
                    .filter(|m| m.item_id == r.id)
                    .filter_map(|m| infos.get(&FileId(m.file_id)).cloned())
                    .collect(),
            },
            public: r.public,
            feedback: r.feedback,
            updated_at: r.updated_at,
        })
        .collect())
}

/// Details of many files in one query, by id.
async fn file_infos(
    conn: &mut PgConnection,
    ids: impl Iterator<Item = FileId>,
) -> Result<std::collections::HashMap<FileId, FileInfo>> {
    let ids: Vec<FileId> = ids.collect();
    Ok(files::records_in(conn, &ids).await?.into_iter().map(|r| (r.info.id, r.info)).collect())
}

/// A creator's approved items as the public page shows them, newest first; only
/// public files are shown.
#[tracing::instrument(skip_all)]
pub async fn showcase(pool: &PgPool, creator: Uuid, locale: Locale) -> Result<Vec<ShowcaseItem>> {
    let rows = sqlx::query!(
        r#"select i.published as "published!", i.published_at as "published_at!: DateTime<Utc>",
                  c.name_en as "name_en?", c.name_zh as "name_zh?"
           from portfolio_items i
           left join categories c on c.id = (i.published ->> 'category_id')::uuid
           where i.creator_id = $1 and i.published is not null and i.status <> 'archived'
           order by i.published_at desc
           limit 24"#,
        creator
    )
    .fetch_all(pool)
    .await?;
    let mut published = Vec::with_capacity(rows.len());
    for row in rows {
        let item: Published = serde_json::from_value(row.published).map_err(anyhow::Error::from)?;
        let category = match locale {
            Locale::Zh => row.name_zh,
            Locale::En => row.name_en,
        };
        published.push((item, category, row.published_at));
    }
    let mut conn = pool.acquire().await?;
    let infos = file_infos(&mut conn, published.iter().flat_map(|(item, ..)| item.media.iter().copied())).await?;
    Ok(published
        .into_iter()
        .map(|(item, category, published_at)| ShowcaseItem {
            media: item
                .media
                .iter()
                .filter_map(|id| infos.get(id).cloned())
                .filter(|f| f.access == FileAccess::Public)
                .collect(),
            title: item.title,
            description: item.description,
            category,
            published_at,
        })
        .collect())
}

/// A portfolio item, as the review queue decides it.
pub struct Review;

#[async_trait::async_trait]
impl Subject for Review {
    fn kind(&self) -> ReviewKind {
        ReviewKind::PortfolioItem
    }

    async fn apply(&self, tx: &mut PgConnection, d: &Decided<'_>) -> Result<()> {
        apply_decision(tx, PortfolioItemId(d.subject), d.decision, d.feedback).await
    }

    async fn path(&self, _conn: &mut PgConnection, subject: Uuid) -> Result<String> {
        Ok(format!("/creator/portfolio/{subject}"))
    }

    async fn evidence(&self, conn: &mut PgConnection, subject: Uuid, _creator: CreatorId) -> Result<Evidence> {
        Ok(Evidence { media: submitted_media(conn, PortfolioItemId(subject)).await?, ..Evidence::default() })
    }
}
