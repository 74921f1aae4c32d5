//! A creator's products through their life: created as drafts, submitted, reviewed,
//! published, changed (through review) and archived. Each step checks that the
//! product is the caller's, and publishes its events in the same transaction.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;
use types::TextEnum;
use types::{
    ErrorCode, Locale, UserId,
    catalog::{Money, ProductStatus},
    ids::{CreatorId, ProductId},
    products::{CategoryChoice, Dashboard, EditorProduct, LOW_STOCK, PortalProduct, ProductDraft, RevisionStatus},
    review::{Decision, ReviewKind},
};

use uuid::Uuid;

use super::editor::{self, ValidDraft};
use crate::{
    Error, RequestMeta, Result, Services, creators,
    events::{self, EventMetadata, EventType, NewEvent},
    review::queue,
    review::subjects::{Decided, Evidence, Subject},
    slugs::{first_free, slug_base},
};

pub(crate) fn product_event(event_type: EventType, id: ProductId, version: i32, data: serde_json::Value) -> NewEvent {
    NewEvent {
        event_type,
        aggregate_type: "product",
        aggregate_id: id.to_string(),
        aggregate_version: version.into(),
        data,
    }
}

struct Owned {
    status: ProductStatus,
    creator: CreatorId,
    name: String,
}

/// Locks the product if it is `user`'s; anyone else's is "not found".
async fn lock_own(conn: &mut PgConnection, user: UserId, id: ProductId) -> Result<Owned> {
    let row = sqlx::query!(
        "select p.status, p.creator_id, p.name_en from products p join creators c on c.id = p.creator_id
         where p.id = $1 and c.user_id = $2 for update of p",
        id.0,
        user.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    Ok(Owned {
        status: ProductStatus::parse(&row.status).unwrap_or(ProductStatus::Draft),
        creator: CreatorId(row.creator_id),
        name: row.name_en,
    })
}

async fn revision_status(conn: &mut PgConnection, id: ProductId) -> Result<Option<RevisionStatus>> {
    Ok(sqlx::query_scalar!("select status from product_revisions where product_id = $1", id.0)
        .fetch_optional(conn)
        .await?
        .and_then(|s| RevisionStatus::parse(&s)))
}

/// Creates a draft product from the editor's fields.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn create(
    services: &Services,
    user: UserId,
    draft: &ProductDraft,
    media: &[String],
    meta: &RequestMeta,
) -> Result<ProductId> {
    let mut tx = services.pool.begin().await?;
    let creator = creators::creator_of(&mut tx, user).await?;
    let valid = editor::validate(&mut tx, user, draft, media).await?;
    let id = ProductId::new();
    let slug = free_slug(&mut tx, &valid.name_en, id).await?;
    sqlx::query!(
        "insert into products (id, creator_id, category_id, slug, status, name_en, name_zh, price_minor)
         values ($1, $2, $3, $4, 'draft', $5, $6, $7)",
        id.0,
        creator.0,
        valid.category_id,
        slug,
        valid.name_en,
        valid.name_zh,
        valid.price_minor
    )
    .execute(&mut *tx)
    .await?;
    editor::write_product(&mut tx, id, &valid).await?;
    let event = product_event(EventType::ProductCreated, id, 1, json!({ "creator_id": creator, "slug": slug }));
    events::publish(&mut tx, event, &EventMetadata::from_request(meta)).await?;
    tx.commit().await?;
    Ok(id)
}

async fn free_slug(conn: &mut PgConnection, name: &str, id: ProductId) -> Result<String> {
    let base = slug_base(name, "product", id.0);
    let taken = sqlx::query_scalar!("select slug from products where slug = $1 or slug like $1 || '-%'", base)
        .fetch_all(conn)
        .await?;
    Ok(first_free(base, &taken))
}

/// Saves the editor's fields. Before the first publication they go onto the product;
/// afterwards content goes to the pending revision (the live version stays as it is)
/// while price and stock change at once.
#[tracing::instrument(skip_all, fields(user = %user, id = %id))]
pub async fn save(
    services: &Services,
    user: UserId,
    id: ProductId,
    draft: &ProductDraft,
    media: &[String],
    meta: &RequestMeta,
) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let owned = lock_own(&mut tx, user, id).await?;
    let valid = editor::validate(&mut tx, user, draft, media).await?;
    match owned.status {
        ProductStatus::Draft | ProductStatus::Rejected => editor::write_product(&mut tx, id, &valid).await?,
        ProductStatus::Published => {
            if revision_status(&mut tx, id).await? == Some(RevisionStatus::Submitted) {
                return Err(Error::Conflict(ErrorCode::AlreadyInReview));
            }
            sqlx::query!(
                "insert into product_revisions (product_id, data, status) values ($1, $2, 'draft')
                 on conflict (product_id) do update set data = excluded.data, status = 'draft', updated_at = now()",
                id.0,
                serde_json::to_value(&valid).map_err(anyhow::Error::from)?
            )
            .execute(&mut *tx)
            .await?;
            let version = sqlx::query_scalar!(
                "update products set price_minor = $2, stock_on_hand = greatest($3, stock_reserved), version = version + 1,
                                     updated_at = now()
                 where id = $1 and (price_minor <> $2 or stock_on_hand <> $3) returning version",
                id.0,
                valid.price_minor,
                valid.stock
            )
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(version) = version {
                let data = json!({ "price_minor": valid.price_minor, "stock_on_hand": valid.stock });
                events::publish(
                    &mut tx,
                    product_event(EventType::ProductUpdated, id, version, data),
                    &EventMetadata::from_request(meta),
                )
                .await?;
            }
        }
        ProductStatus::Submitted | ProductStatus::UnderReview => {
            return Err(Error::Conflict(ErrorCode::AlreadyInReview));
        }
        ProductStatus::Archived => return Err(Error::Conflict(ErrorCode::Conflict)),
    }
    tx.commit().await?;
    Ok(())
}

/// The editor's one save: a new product when there is no id yet, else [`save`].
#[tracing::instrument(skip_all, fields(user = %user, id = ?id))]
pub async fn create_or_save(
    services: &Services,
    user: UserId,
    id: Option<ProductId>,
    draft: &ProductDraft,
    media: &[String],
    meta: &RequestMeta,
) -> Result<ProductId> {
    match id {
        None => create(services, user, draft, media, meta).await,
        Some(id) => save(services, user, id, draft, media, meta).await.map(|()| id),
    }
}

/// The product as the editor shows it: the pending revision if there is one, else
/// the product itself.
#[tracing::instrument(skip_all, fields(user = %user, id = %id))]
pub async fn load(services: &Services, user: UserId, id: ProductId) -> Result<EditorProduct> {
    let mut tx = services.pool.begin().await?;
    let owned = lock_own(&mut tx, user, id).await?;
    let revision = sqlx::query!("select data, status, feedback from product_revisions where product_id = $1", id.0)
        .fetch_optional(&mut *tx)
        .await?;
    let (valid, feedback) = match &revision {
        Some(r) => {
            (serde_json::from_value::<ValidDraft>(r.data.clone()).map_err(anyhow::Error::from)?, r.feedback.clone())
        }
        None => (
            editor::read_product(&mut tx, id).await?,
            sqlx::query_scalar!("select review_feedback from products where id = $1", id.0).fetch_one(&mut *tx).await?,
        ),
    };
    let draft = editor::to_editor(&mut tx, &valid).await?;
    let slug = sqlx::query_scalar!("select slug from products where id = $1", id.0).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(EditorProduct {
        id,
        slug,
        status: owned.status,
        revision: revision.and_then(|r| RevisionStatus::parse(&r.status)),
        draft,
        feedback,
    })
}

/// Sends the product (or its pending changes) to the review queue.
#[tracing::instrument(skip_all, fields(user = %user, id = %id))]
pub async fn submit(services: &Services, user: UserId, id: ProductId, meta: &RequestMeta) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let owned = lock_own(&mut tx, user, id).await?;
    let valid = match owned.status {
        ProductStatus::Draft | ProductStatus::Rejected => {
            let valid = editor::read_product(&mut tx, id).await?;
            editor::check_submittable(&mut tx, &valid).await?;
            sqlx::query!("update products set status = 'submitted', review_feedback = null where id = $1", id.0)
                .execute(&mut *tx)
                .await?;
            valid
        }
        ProductStatus::Published => {
            let data = sqlx::query_scalar!(
                "update product_revisions set status = 'submitted', feedback = null
                 where product_id = $1 and status in ('draft', 'rejected') returning data",
                id.0
            )
            .fetch_optional(&mut *tx)
            .await?
            // Nothing changed since the published version: nothing to review.
            .ok_or(Error::Conflict(ErrorCode::Conflict))?;
            let valid: ValidDraft = serde_json::from_value(data).map_err(anyhow::Error::from)?;
            editor::check_submittable(&mut tx, &valid).await?;
            valid
        }
        _ => return Err(Error::Conflict(ErrorCode::AlreadyInReview)),
    };
    let snapshot = editor::snapshot(&mut tx, &valid).await?;
    let item =
        queue::open(&mut tx, ReviewKind::ProductSubmission, id.0, owned.creator, &valid.name_en, &snapshot).await?;
    let event = queue::submission_event(
        EventType::CreatorSubmissionCreated,
        owned.creator,
        item,
        ReviewKind::ProductSubmission,
    );
    events::publish(&mut tx, event, &EventMetadata::from_request(meta)).await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a product off sale (and out of the storefront), keeping it for the record.
#[tracing::instrument(skip_all, fields(user = %user, id = %id))]
pub async fn archive(services: &Services, user: UserId, id: ProductId, meta: &RequestMeta) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    let owned = lock_own(&mut tx, user, id).await?;
    if matches!(owned.status, ProductStatus::Submitted | ProductStatus::UnderReview) {
        return Err(Error::Conflict(ErrorCode::AlreadyInReview));
    }
    if owned.status != ProductStatus::Archived {
        let version = sqlx::query_scalar!(
            "update products set status = 'archived', version = version + 1, updated_at = now() where id = $1 returning version",
            id.0
        )
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query!("delete from product_revisions where product_id = $1 and status <> 'submitted'", id.0)
            .execute(&mut *tx)
            .await?;
        let event =
            product_event(EventType::ProductUpdated, id, version, json!({ "status": "archived", "name": owned.name }));
        events::publish(&mut tx, event, &EventMetadata::from_request(meta)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Takes every product of `creator` off sale at once (their maker closed the account);
/// each publishes `product.updated`, so storefronts and search drop it.
pub async fn archive_all(conn: &mut PgConnection, creator: CreatorId, metadata: &EventMetadata) -> Result<u32> {
    let archived = sqlx::query!(
        "update products set status = 'archived', version = version + 1, updated_at = now()
         where creator_id = $1 and status <> 'archived'
         returning id, version, name_en",
        creator.0
    )
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query!(
        "delete from product_revisions r using products p
         where p.id = r.product_id and p.creator_id = $1",
        creator.0
    )
    .execute(&mut *conn)
    .await?;
    for product in &archived {
        let data = json!({ "status": "archived", "name": product.name_en });
        events::publish(
            conn,
            product_event(EventType::ProductUpdated, ProductId(product.id), product.version, data),
            metadata,
        )
        .await?;
    }
    Ok(archived.len() as u32)
}

/// What a reviewer's decision on a product submission does. Approval publishes a new
/// product or applies pending changes to a published one; rejection keeps the
/// feedback for the maker, and a published product stays live as it was.
pub async fn apply_decision(
    conn: &mut PgConnection,
    id: ProductId,
    decision: Decision,
    feedback: &str,
    metadata: &EventMetadata,
) -> Result<()> {
    let status = sqlx::query_scalar!("select status from products where id = $1 for update", id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    let approve = decision == Decision::Approve;
    match (ProductStatus::parse(&status), approve) {
        (Some(ProductStatus::Submitted), true) => {
            let version = sqlx::query_scalar!(
                "update products set status = 'published', published_at = coalesce(published_at, now()),
                                     review_feedback = null, version = version + 1, updated_at = now()
                 where id = $1 returning version",
                id.0
            )
            .fetch_one(&mut *conn)
            .await?;
            crate::search::document::refresh(conn, id.0).await?;
            events::publish(conn, product_event(EventType::ProductPublished, id, version, json!({})), metadata).await?;
        }
        (Some(ProductStatus::Submitted), false) => {
            sqlx::query!("update products set status = 'rejected', review_feedback = $2 where id = $1", id.0, feedback)
                .execute(&mut *conn)
                .await?;
        }
        (Some(ProductStatus::Published), true) => {
            let data = sqlx::query_scalar!(
                "delete from product_revisions where product_id = $1 and status = 'submitted' returning data",
                id.0
            )
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("product {id} has no submitted revision")))?;
            let mut valid: ValidDraft = serde_json::from_value(data).map_err(anyhow::Error::from)?;
            // Price and stock moved on their own since the revision was saved.
            let live = editor::read_product(conn, id).await?;
            (valid.price_minor, valid.stock) = (live.price_minor, live.stock);
            editor::write_product(conn, id, &valid).await?;
            let version =
                sqlx::query_scalar!("select version from products where id = $1", id.0).fetch_one(&mut *conn).await?;
            events::publish(
                conn,
                product_event(EventType::ProductUpdated, id, version, json!({ "revision": "approved" })),
                metadata,
            )
            .await?;
        }
        (Some(ProductStatus::Published), false) => {
            sqlx::query!(
                "update product_revisions set status = 'rejected', feedback = $2 where product_id = $1 and status = 'submitted'",
                id.0,
                feedback
            )
            .execute(&mut *conn)
            .await?;
        }
        _ => return Err(Error::Internal(anyhow::anyhow!("product {id} is {status}, not awaiting review"))),
    }
    Ok(())
}

/// The media of what a product submission asks to publish: the pending revision's,
/// else the product's own.
pub async fn submitted_media(conn: &mut PgConnection, id: ProductId) -> Result<Vec<types::files::FileInfo>> {
    let revision = sqlx::query_scalar!("select data from product_revisions where product_id = $1", id.0)
        .fetch_optional(&mut *conn)
        .await?;
    let valid = match revision {
        Some(data) => serde_json::from_value::<ValidDraft>(data).map_err(anyhow::Error::from)?,
        None => editor::read_product(conn, id).await?,
    };
    Ok(editor::to_editor(conn, &valid).await?.media)
}

/// The portal's first page for `user`: counts by status, low stock, every product.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn dashboard(services: &Services, user: UserId) -> Result<Dashboard> {
    let mut conn = services.pool.acquire().await?;
    let creator = creators::creator_of(&mut conn, user).await?;
    let rows = sqlx::query!(
        r#"select p.id, p.slug, p.name_en, p.status, r.status as "revision?", p.price_minor, p.currency,
                  p.stock_on_hand - p.stock_reserved as "available!", p.updated_at as "updated_at: DateTime<Utc>"
           from products p left join product_revisions r on r.product_id = p.id
           where p.creator_id = $1
           order by p.updated_at desc
           limit 500"#,
        creator.0
    )
    .fetch_all(&mut *conn)
    .await?;
    let products: Vec<PortalProduct> = rows
        .into_iter()
        .map(|r| PortalProduct {
            id: ProductId(r.id),
            slug: r.slug,
            name: r.name_en,
            status: ProductStatus::parse(&r.status).unwrap_or(ProductStatus::Draft),
            revision: r.revision.as_deref().and_then(RevisionStatus::parse),
            price: Money::new(r.price_minor, r.currency),
            available: r.available,
            updated_at: r.updated_at,
        })
        .collect();
    let mut counts: Vec<(ProductStatus, u32)> = Vec::new();
    for p in &products {
        match counts.iter_mut().find(|(s, _)| *s == p.status) {
            Some((_, n)) => *n += 1,
            None => counts.push((p.status, 1)),
        }
    }
    counts.sort();
    let low_stock =
        products.iter().filter(|p| p.status == ProductStatus::Published && p.available <= LOW_STOCK).cloned().collect();
    let storage = crate::files::quota::usage(&mut conn, user).await?;
    Ok(Dashboard { counts, low_stock, products, storage })
}

/// Subcategories a product may be placed in, in the reader's language.
#[tracing::instrument(skip_all)]
pub async fn categories(services: &Services, locale: Locale) -> Result<Vec<CategoryChoice>> {
    let rows = sqlx::query!(
        "select c.slug, c.name_en, c.name_zh, p.name_en as parent_en, p.name_zh as parent_zh
         from categories c join categories p on p.id = c.parent_id
         order by p.position, c.position"
    )
    .fetch_all(&services.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| match locale {
            Locale::En => CategoryChoice { slug: r.slug, name: r.name_en, parent: r.parent_en },
            Locale::Zh => CategoryChoice { slug: r.slug, name: r.name_zh, parent: r.parent_zh },
        })
        .collect())
}

/// A product submission (a new product or changes to one), as the review queue decides it.
pub struct Review;

#[async_trait::async_trait]
impl Subject for Review {
    fn kind(&self) -> ReviewKind {
        ReviewKind::ProductSubmission
    }

    async fn apply(&self, tx: &mut PgConnection, d: &Decided<'_>) -> Result<()> {
        apply_decision(tx, ProductId(d.subject), d.decision, d.feedback, d.metadata).await
    }

    async fn path(&self, _conn: &mut PgConnection, subject: Uuid) -> Result<String> {
        Ok(format!("/creator/products/{subject}"))
    }

    async fn evidence(&self, conn: &mut PgConnection, subject: Uuid, _creator: CreatorId) -> Result<Evidence> {
        Ok(Evidence { media: submitted_media(conn, ProductId(subject)).await?, ..Evidence::default() })
    }
}
