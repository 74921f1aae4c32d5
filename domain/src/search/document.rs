//! Keeps `products.search_document` and the spelling vocabulary in step with the
//! product, its maker and its category. Called in the transaction that changes a
//! product, and by the rebuild command for everything at once.

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::text::{SearchText, Searchable};
use crate::{
    Result,
    events::{self, EventMetadata, EventType, NewEvent},
};

/// Rewrites one product's search document from its current data.
pub async fn refresh(conn: &mut PgConnection, product_id: Uuid) -> Result<()> {
    let Some(p) = sqlx::query!(
        r#"select p.name_en, p.name_zh, p.summary_en, p.summary_zh, p.description_en, p.description_zh,
                  p.tags, p.features, p.compatibility, p.ip_rating, c.display_name,
                  cat.name_en as category_en, cat.name_zh as category_zh,
                  coalesce(parent.name_en, '') as "parent_en!", coalesce(parent.name_zh, '') as "parent_zh!"
           from products p
           join creators c on c.id = p.creator_id
           join categories cat on cat.id = p.category_id
           left join categories parent on parent.id = cat.parent_id
           where p.id = $1"#,
        product_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(());
    };
    let text = SearchText::of(&Searchable {
        name_en: &p.name_en,
        name_zh: &p.name_zh,
        summary_en: &p.summary_en,
        summary_zh: &p.summary_zh,
        description_en: &p.description_en,
        description_zh: &p.description_zh,
        tags: &p.tags,
        features: &p.features,
        compatibility: &p.compatibility,
        ip_rating: p.ip_rating.as_deref(),
        creator_name: &p.display_name,
        category_names: [&p.category_en, &p.category_zh, &p.parent_en, &p.parent_zh],
    });
    sqlx::query!(
        "update products set search_document = catalog_search_document($2, $3, $4, $5) where id = $1",
        product_id,
        text.names,
        text.labels,
        text.specs,
        text.body
    )
    .execute(&mut *conn)
    .await?;
    let mut terms: Vec<String> = text.vocabulary().collect();
    terms.sort();
    terms.dedup();
    sqlx::query!(
        "insert into search_terms (term, weight) select unnest($1::text[]), 1
         on conflict (term) do update set weight = search_terms.weight + 1",
        &terms
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Tells every instance that products were written in bulk, so each reloads its
/// search index; call it in the transaction that wrote them.
pub async fn announce_bulk_change(conn: &mut PgConnection, products: u64) -> Result<()> {
    let event = NewEvent {
        event_type: EventType::CatalogReindexed,
        aggregate_type: "catalog",
        aggregate_id: "products".to_owned(),
        aggregate_version: 1,
        data: serde_json::json!({ "products": products }),
    };
    events::publish(conn, event, &EventMetadata::default()).await?;
    Ok(())
}

/// Rebuilds every product's document, a batch per transaction; returns how many.
#[tracing::instrument(skip_all)]
pub async fn rebuild_all(pool: &PgPool) -> Result<u64> {
    let mut after = Uuid::nil();
    let mut done = 0;
    loop {
        let ids = sqlx::query_scalar!("select id from products where id > $1 order by id limit 500", after)
            .fetch_all(pool)
            .await?;
        let Some(last) = ids.last().copied() else {
            announce_bulk_change(&mut *pool.acquire().await?, done).await?;
            return Ok(done);
        };
        let mut tx = pool.begin().await?;
        for id in &ids {
            refresh(&mut tx, *id).await?;
        }
        tx.commit().await?;
        done += ids.len() as u64;
        after = last;
    }
}
