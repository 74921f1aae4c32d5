//! The creator's product editor: drafts checked field by field, saved to the product
//! itself until it is first published, and afterwards to a pending revision that
//! review must approve while the published version stays live. Price and stock are
//! not content: they change at once, without review (see [`inventory`](super::inventory)).

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use types::TextEnum;
use types::{
    ErrorCode, FieldError, Locale, UserId,
    catalog::{Money, parse_amount},
    files::{FileInfo, FileKind},
    ids::{FileId, ProductId},
    products::ProductDraft,
    specs::{Measures, SPECS},
};
use uuid::Uuid;

use crate::{Error, Result, fields::Checker, files};

/// Media per product.
pub const MAX_MEDIA: usize = 12;

/// A draft that passed every check, as stored in a revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidDraft {
    pub category_id: Uuid,
    pub name_en: String,
    pub name_zh: String,
    pub summary_en: String,
    pub summary_zh: String,
    pub description_en: String,
    pub description_zh: String,
    pub price_minor: i64,
    pub stock: i32,
    pub measures: Measures,
    pub ip_rating: Option<String>,
    pub compatibility: Vec<String>,
    pub features: Vec<String>,
    pub tags: Vec<String>,
    pub media: Vec<FileId>,
}

/// Checks every field of a draft at once; `media` are the uploaded files' ids in
/// display order. Looks up the category and checks the files are the maker's own.
pub async fn validate(
    conn: &mut PgConnection,
    owner: UserId,
    draft: &ProductDraft,
    media: &[String],
) -> Result<ValidDraft> {
    let mut c = Checker::default();
    let category =
        sqlx::query_scalar!("select id from categories where slug = $1 and level = 2", draft.category.trim())
            .fetch_optional(&mut *conn)
            .await?;
    if category.is_none() {
        c.errors.push(FieldError::new("category", ErrorCode::Required));
    }
    let name_en = c.text("name_en", &draft.name_en, true, 120);
    // A maker who writes only English still has a Chinese name: the same words.
    let name_zh = match c.text("name_zh", &draft.name_zh, false, 120) {
        z if z.is_empty() => name_en.clone(),
        z => z,
    };
    let summary_en = c.text("summary_en", &draft.summary_en, false, 300);
    let summary_zh = c.text("summary_zh", &draft.summary_zh, false, 300);
    let description_en = c.text("description_en", &draft.description_en, false, 10_000);
    let description_zh = c.text("description_zh", &draft.description_zh, false, 10_000);
    let price_minor = match parse_amount(&draft.price) {
        Ok(p) if p > 0 && p <= 100_000_000 => p,
        Ok(_) => {
            c.errors.push(FieldError::new("price", ErrorCode::OutOfRange));
            0
        }
        Err(code) => {
            c.errors.push(FieldError::new("price", code));
            0
        }
    };
    let stock = c.number("stock", &draft.stock, 0, 1_000_000).unwrap_or(0);
    let ip_rating = match draft.ip_rating.trim().to_uppercase() {
        r if r.is_empty() => None,
        r if is_ip_rating(&r) => Some(r),
        _ => {
            c.errors.push(FieldError::new("ip_rating", ErrorCode::InvalidInput));
            None
        }
    };
    let mut measures = Measures::default();
    for spec in SPECS {
        let typed = draft.measures.get(&spec.spec).map_or("", String::as_str);
        measures.set(spec.spec, c.number(spec.key, typed, spec.min, spec.max));
    }
    let media_ids = files::attach::parse_ids(media, "media", MAX_MEDIA, &mut c.errors);
    c.errors.extend(files::attach::check_owned(conn, owner, &media_ids, &[], "media").await?);
    let valid = ValidDraft {
        category_id: category.unwrap_or_default(),
        name_en,
        name_zh,
        summary_en,
        summary_zh,
        description_en,
        description_zh,
        price_minor,
        stock,
        measures,
        ip_rating,
        compatibility: c.list("compatibility", &draft.compatibility),
        features: c.list("features", &draft.features),
        tags: c.list("tags", &draft.tags),
        media: media_ids,
    };
    if c.errors.is_empty() { Ok(valid) } else { Err(Error::Validation(c.errors)) }
}

fn is_ip_rating(r: &str) -> bool {
    let b = r.as_bytes();
    b.len() == 4 && r.starts_with("IP") && matches!(b[2], b'0'..=b'6' | b'X') && matches!(b[3], b'0'..=b'9' | b'X')
}

/// Writes a draft's content onto the product row and its media (price and stock too,
/// for products not yet published).
pub async fn write_product(conn: &mut PgConnection, id: ProductId, d: &ValidDraft) -> Result<()> {
    sqlx::query!(
        "update products set category_id = $2, name_en = $3, name_zh = $4, summary_en = $5, summary_zh = $6,
             description_en = $7, description_zh = $8, price_minor = $9, stock_on_hand = greatest($10, stock_reserved),
             specs = $11, ip_rating = $12, compatibility = $13, features = $14, tags = $15,
             version = version + 1, updated_at = now()
         where id = $1",
        id.0,
        d.category_id,
        d.name_en,
        d.name_zh,
        d.summary_en,
        d.summary_zh,
        d.description_en,
        d.description_zh,
        d.price_minor,
        d.stock,
        serde_json::to_value(&d.measures).map_err(anyhow::Error::from)?,
        d.ip_rating,
        &d.compatibility,
        &d.features,
        &d.tags,
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("delete from product_media where product_id = $1", id.0).execute(&mut *conn).await?;
    let ids: Vec<Uuid> = d.media.iter().map(|m| m.0).collect();
    sqlx::query!(
        r#"insert into product_media (id, product_id, kind, position, url, alt_en, alt_zh, width, height, file_id)
           select gen_random_uuid(), $1, f.kind, m.position::int, 
                  case when f.kind = 'image' then '/files/' || f.id || '/large.webp' else '/files/' || f.id end,
                  $3, $4, t.width, t.height, f.id
           from unnest($2::uuid[]) with ordinality as m(file_id, position)
           join files f on f.id = m.file_id
           left join file_thumbnails t on t.file_id = f.id and t.size = 'large'"#,
        id.0,
        &ids,
        d.name_en,
        d.name_zh,
    )
    .execute(&mut *conn)
    .await?;
    crate::search::document::refresh(conn, id.0).await
}

/// The product row's content as a draft (what is live, or being prepared before the
/// first publication).
pub async fn read_product(conn: &mut PgConnection, id: ProductId) -> Result<ValidDraft> {
    let p = sqlx::query!(
        "select category_id, name_en, name_zh, summary_en, summary_zh, description_en, description_zh, price_minor,
                stock_on_hand, specs, ip_rating, compatibility, features, tags
         from products where id = $1",
        id.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let media = sqlx::query_scalar!(
        r#"select file_id as "file_id!" from product_media where product_id = $1 and file_id is not null order by position"#,
        id.0
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(ValidDraft {
        category_id: p.category_id,
        name_en: p.name_en,
        name_zh: p.name_zh,
        summary_en: p.summary_en,
        summary_zh: p.summary_zh,
        description_en: p.description_en,
        description_zh: p.description_zh,
        price_minor: p.price_minor,
        stock: p.stock_on_hand,
        measures: serde_json::from_value(p.specs).map_err(anyhow::Error::from)?,
        ip_rating: p.ip_rating,
        compatibility: p.compatibility,
        features: p.features,
        tags: p.tags,
        media: media.into_iter().map(FileId).collect(),
    })
}

async fn media_infos(conn: &mut PgConnection, media: &[FileId]) -> Result<Vec<FileInfo>> {
    Ok(files::records_in(conn, media).await?.into_iter().map(|r| r.info).collect())
}

/// The draft as the editor's fields show it.
pub async fn to_editor(conn: &mut PgConnection, d: &ValidDraft) -> Result<ProductDraft> {
    let category = sqlx::query_scalar!("select slug from categories where id = $1", d.category_id)
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or_default();
    let money = Money::new(d.price_minor, "USD");
    Ok(ProductDraft {
        category,
        name_en: d.name_en.clone(),
        name_zh: d.name_zh.clone(),
        summary_en: d.summary_en.clone(),
        summary_zh: d.summary_zh.clone(),
        description_en: d.description_en.clone(),
        description_zh: d.description_zh.clone(),
        price: format!("{}.{:02}", money.minor / 100, money.minor % 100),
        stock: d.stock.to_string(),
        measures: d.measures.iter().map(|(s, v)| (s.spec, v.to_string())).collect(),
        ip_rating: d.ip_rating.clone().unwrap_or_default(),
        compatibility: d.compatibility.join("\n"),
        features: d.features.join("\n"),
        tags: d.tags.join("\n"),
        media: media_infos(conn, &d.media).await?,
    })
}

/// What a reviewer compares between submissions, field by field.
pub async fn snapshot(conn: &mut PgConnection, d: &ValidDraft) -> Result<Vec<(String, String)>> {
    let category = sqlx::query_scalar!(
        r#"select coalesce(p.name_en || ' › ', '') || c.name_en as "name!" from categories c
           left join categories p on p.id = c.parent_id where c.id = $1"#,
        d.category_id
    )
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or_default();
    let media: Vec<String> =
        media_infos(conn, &d.media).await?.iter().map(|m| format!("{} ({})", m.name, &m.sha256[..12])).collect();
    // Exact figures with their unit (not rounded as pages show them): what changed by a gram shows.
    let measures = d
        .measures
        .iter()
        .filter(|(s, _)| !s.dimension)
        .map(|(s, v)| (s.key.to_owned(), format!("{v} {}", s.unit.symbol(Locale::En))));
    let dimensions = d.measures.dimensions(Locale::En).unwrap_or_default();
    let owned = |(k, v): (&str, String)| (k.to_owned(), v);
    let head = [
        ("category", category),
        ("name_en", d.name_en.clone()),
        ("name_zh", d.name_zh.clone()),
        ("summary_en", d.summary_en.clone()),
        ("summary_zh", d.summary_zh.clone()),
        ("description_en", d.description_en.clone()),
        ("description_zh", d.description_zh.clone()),
        ("dimensions", dimensions),
    ];
    let tail = [
        ("ip_rating", d.ip_rating.clone().unwrap_or_default()),
        ("compatibility", d.compatibility.join("\n")),
        ("features", d.features.join("\n")),
        ("tags", d.tags.join(", ")),
        ("media", media.join("\n")),
    ];
    Ok(head.into_iter().map(owned).chain(measures).chain(tail.into_iter().map(owned)).collect())
}

/// Whether a draft has what a submission needs beyond valid fields: a picture.
pub async fn check_submittable(conn: &mut PgConnection, d: &ValidDraft) -> Result<()> {
    let ids: Vec<Uuid> = d.media.iter().map(|m| m.0).collect();
    let images = sqlx::query_scalar!(
        r#"select count(*) as "n!" from files where id = any($1) and kind = $2"#,
        &ids,
        FileKind::Image.as_str()
    )
    .fetch_one(conn)
    .await?;
    if images == 0 { Err(Error::field("media", ErrorCode::ImageRequired)) } else { Ok(()) }
}
