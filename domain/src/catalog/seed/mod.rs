//! Generates a believable catalog of any size: a few hundred creators, products with
//! English and Chinese text, specifications in each category's ranges, pictures,
//! stock, and certificates (some expired). The same seed number gives the same
//! catalog; dates are relative to the moment of loading.

mod profiles;

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::{Rng, SeedableRng, seq::SliceRandom};
use rand_chacha::ChaCha8Rng;
use sqlx::{PgConnection, PgPool};
use types::specs::{Measures, Spec, Unit};
use uuid::Uuid;

use self::profiles::{BIRDS, CATALOG, CERT_BODIES, CITIES, MODEL_SUFFIXES, Profile};
use crate::{
    Result,
    catalog::artwork,
    copy::{self, CopyBuffer, copy_in},
    search::text::{SearchText, Searchable},
    slugs::slugify,
};

pub struct SeedOptions {
    pub products: usize,
    pub seed: u64,
    /// The password every generated creator account gets (an argon2 hash is made once).
    pub password: String,
    /// An existing account to own the first creator profile, e.g. the demo creator.
    pub first_creator_email: Option<String>,
}

#[derive(Debug, Default)]
pub struct SeedReport {
    pub skipped: bool,
    pub creators: usize,
    pub products: usize,
    pub certifications: usize,
}

const CHUNK: usize = 5_000;

/// Loads a catalog unless one is there already. One transaction: a failure leaves
/// nothing half-loaded.
///
/// Three things run at once, which is what makes a million products a matter of
/// minutes on two cores: this process generates the next chunk, a second connection
/// turns the chunk after the current one into search documents (PostgreSQL's text
/// analysis is the largest single cost), and the load transaction COPYs the current
/// one straight into the tables. Products carry their current certificate from the
/// first write, so the certificate trigger stands aside (`openaero.bulk_load`).
#[tracing::instrument(skip_all)]
pub async fn seed_catalog(pool: &PgPool, options: &SeedOptions) -> Result<SeedReport> {
    let mut tx = pool.begin().await?;
    let existing: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from products"#).fetch_one(&mut *tx).await?;
    if existing > 0 {
        return Ok(SeedReport { skipped: true, ..SeedReport::default() });
    }
    // `set local`: the trigger skips its per-row refresh for this transaction only.
    sqlx::query("set local openaero.bulk_load = 'on'").execute(&mut *tx).await?;
    // The transaction's own clock, the one refresh_product_certification() reads.
    let now: DateTime<Utc> = sqlx::query_scalar("select now()").fetch_one(&mut *tx).await?;
    let deferred = drop_secondary_indexes(&mut tx).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let categories = insert_categories(&mut tx, &mut rng).await?;
    let password_hash = crate::users::password_hash::hash(options.password.clone()).await?;
    let creators = insert_creators(&mut tx, &mut rng, options, &password_hash, now).await?;
    let mut report = SeedReport { creators: creators.len(), products: options.products, ..SeedReport::default() };

    let (chunks, mut generated) = tokio::sync::mpsc::channel::<Chunk>(1);
    let products = options.products;
    let generator =
        tokio::task::spawn_blocking(move || generate_chunks(rng, products, &creators, &categories, now, &chunks));
    // With a single-connection pool the documents are made on the load connection.
    let mut helper = if pool.options().get_max_connections() > 1 { Some(pool.acquire().await?) } else { None };
    let mut documented: Option<Chunk> = None;
    loop {
        let (next, loaded) = tokio::join!(
            async {
                match (generated.recv().await, helper.as_deref_mut()) {
                    (Some(chunk), Some(conn)) => chunk.document(conn).await.map(Some),
                    (next, _) => Ok(next),
                }
            },
            async {
                match documented.take() {
                    Some(chunk) => chunk.load(&mut tx).await,
                    None => Ok(()),
                }
            }
        );
        loaded?;
        documented = match (next?, helper.is_some()) {
            (Some(chunk), false) => Some(chunk.document(&mut tx).await?),
            (next, _) => next,
        };
        if documented.is_none() {
            break;
        }
    }
    drop(helper);
    let (vocabulary, certified) = generator.await.map_err(|e| anyhow::anyhow!("catalog generator: {e}"))?;
    report.certifications = certified;

    let mut terms = CopyBuffer::new();
    for (term, weight) in &vocabulary {
        terms.text(term).value(weight);
        terms.end_row();
    }
    copy_in(&mut tx, "copy search_terms (term, weight) from stdin", terms.take()).await?;
    // One sorted build per index instead of a million scattered inserts into each.
    sqlx::query("set local maintenance_work_mem = '512MB'").execute(&mut *tx).await?;
    for definition in deferred {
        sqlx::query(&definition).execute(&mut *tx).await?;
    }
    crate::search::document::announce_bulk_change(&mut tx, options.products as u64).await?;
    tx.commit().await?;
    Ok(report)
}

/// The indexes on the tables the loader fills that back no constraint, dropped here
/// and built again (from these definitions, as the database itself writes them) when
/// the rows are in: building an index once is several times cheaper than inserting
/// a million products into it, the full-text and trigram indexes above all. Unique
/// and primary keys stay, and so go on checking every row. The definitions are read
/// from the database, so an index a later migration adds is covered too; the whole
/// load is one transaction, so a failure leaves every index in place.
async fn drop_secondary_indexes(conn: &mut PgConnection) -> Result<Vec<String>> {
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "select i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
         from pg_index i
         where i.indrelid = any(array['products', 'product_media', 'certifications', 'certification_tests']::regclass[])
           and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
         order by 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (name, _) in &indexes {
        sqlx::query(&format!("drop index {name}")).execute(&mut *conn).await?;
    }
    Ok(indexes.into_iter().map(|(_, definition)| definition).collect())
}

/// Generates the products in chunks of [`CHUNK`] and hands them to the loader; returns
/// the search vocabulary and the number of certificates. Stops early when the loader
/// has gone (it failed).
fn generate_chunks(
    mut rng: ChaCha8Rng,
    products: usize,
    creators: &[CreatorRow],
    categories: &[CategoryRow],
    now: DateTime<Utc>,
    chunks: &tokio::sync::mpsc::Sender<Chunk>,
) -> (HashMap<String, i32>, usize) {
    let mut vocabulary: HashMap<String, i32> = HashMap::new();
    let mut certified = 0;
    let mut chunk = Chunk::default();
    for index in 0..products {
        let creator = &creators[skewed(&mut rng, creators.len())];
        let product = generate_product(&mut rng, index, creator, categories, now);
        certified += usize::from(product.certified);
        for word in product.search.vocabulary() {
            *vocabulary.entry(word).or_default() += 1;
        }
        product.write(&mut chunk, &mut rng, now);
        if chunk.search.len() >= CHUNK && chunks.blocking_send(std::mem::take(&mut chunk)).is_err() {
            return (vocabulary, certified);
        }
    }
    if !chunk.search.is_empty() {
        let _ = chunks.blocking_send(chunk);
    }
    (vocabulary, certified)
}

struct CategoryRow {
    id: Uuid,
    name_en: &'static str,
    name_zh: &'static str,
    parent_en: &'static str,
    parent_zh: &'static str,
    profile: &'static Profile,
}

struct CreatorRow {
    id: Uuid,
    display_name: String,
}

fn uuid(rng: &mut ChaCha8Rng) -> Uuid {
    uuid::Builder::from_random_bytes(rng.r#gen()).into_uuid()
}

/// Most creators have a few products and a few have many, as in real marketplaces.
fn skewed(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let u: f64 = rng.r#gen();
    ((u * u) * n as f64) as usize % n
}

async fn insert_categories(conn: &mut PgConnection, rng: &mut ChaCha8Rng) -> Result<Vec<CategoryRow>> {
    let mut rows = Vec::new();
    for (position, top) in CATALOG.iter().enumerate() {
        let top_id = uuid(rng);
        sqlx::query!(
            "insert into categories (id, level, slug, name_en, name_zh, description_en, description_zh, position)
             values ($1, 1, $2, $3, $4, $5, $6, $7)",
            top_id,
            top.slug,
            top.name_en,
            top.name_zh,
            top.description_en,
            top.description_zh,
            position as i32
        )
        .execute(&mut *conn)
        .await?;
        for (sub_position, profile) in top.subs.iter().enumerate() {
            let id = uuid(rng);
            sqlx::query!(
                "insert into categories (id, parent_id, level, slug, name_en, name_zh, position)
                 values ($1, $2, 2, $3, $4, $5, $6)",
                id,
                top_id,
                profile.slug,
                profile.name_en,
                profile.name_zh,
                sub_position as i32
            )
            .execute(&mut *conn)
            .await?;
            rows.push(CategoryRow {
                id,
                name_en: profile.name_en,
                name_zh: profile.name_zh,
                parent_en: top.name_en,
                parent_zh: top.name_zh,
                profile,
            });
        }
    }
    Ok(rows)
}

async fn insert_creators(
    conn: &mut PgConnection,
    rng: &mut ChaCha8Rng,
    options: &SeedOptions,
    password_hash: &str,
    now: DateTime<Utc>,
) -> Result<Vec<CreatorRow>> {
    let count = (options.products / 8).clamp(12, 400);
    let first_user = match &options.first_creator_email {
        Some(email) => {
            sqlx::query_scalar!("select id from users where email = $1", email).fetch_optional(&mut *conn).await?
        }
        None => None,
    };
    let mut users = CopyBuffer::new();
    let mut roles = CopyBuffer::new();
    let mut creators = CopyBuffer::new();
    let mut rows = Vec::with_capacity(count);
    let mut new_users = Vec::with_capacity(count);
    let mut slugs = std::collections::HashSet::new();
    for i in 0..count {
        let (display_name, mut slug, kind) = creator_name(rng, i);
        if !slugs.insert(slug.clone()) {
            slug = format!("{slug}-{i}");
            slugs.insert(slug.clone());
        }
        let joined = now - Duration::days(rng.gen_range(60..1500));
        let user_id = match (i, first_user) {
            (0, Some(id)) => id,
            _ => {
                let id = uuid(rng);
                users
                    .value(id)
                    .text(&format!("{slug}@makers.openaero.test"))
                    .text(&display_name)
                    .text(password_hash)
                    .value(joined)
                    .value(joined);
                users.end_row();
                for role in ["customer", "creator"] {
                    roles.value(id).text(role);
                    roles.end_row();
                }
                new_users.push(types::UserId(id));
                id
            }
        };
        let id = uuid(rng);
        let city = CITIES[rng.gen_range(0..CITIES.len())];
        let (bio_en, bio_zh) = creator_bio(rng, kind, city);
        creators
            .value(id)
            .value(user_id)
            .text(&slug)
            .text(&display_name)
            .text(kind)
            .text("verified")
            .text(&bio_en)
            .text(&bio_zh)
            .text(city)
            .value(joined + Duration::days(3))
            .value(joined);
        creators.end_row();
        rows.push(CreatorRow { id, display_name });
    }
    copy_in(
        conn,
        "copy users (id, email, name, password_hash, email_verified_at, created_at) from stdin",
        users.take(),
    )
    .await?;
    copy_in(conn, "copy user_roles (user_id, role) from stdin", roles.take()).await?;
    crate::users::profile::store_default_preferences(conn, &new_users).await?;
    if let Some(id) = first_user {
        sqlx::query!("insert into user_roles (user_id, role) values ($1, 'creator') on conflict do nothing", id)
            .execute(&mut *conn)
            .await?;
    }
    copy_in(
        conn,
        "copy creators (id, user_id, slug, display_name, kind, status, bio_en, bio_zh, location, verified_at, created_at) \
         from stdin",
        creators.take(),
    )
    .await?;
    Ok(rows)
}

fn creator_name(rng: &mut ChaCha8Rng, i: usize) -> (String, String, &'static str) {
    use profiles::{CREATOR_FIRST, CREATOR_SECOND, CREATOR_ZH, CREATOR_ZH_SUFFIX};
    match i % 5 {
        0..=2 => {
            let first = CREATOR_FIRST[rng.gen_range(0..CREATOR_FIRST.len())];
            let second = CREATOR_SECOND[rng.gen_range(0..CREATOR_SECOND.len())];
            let name = format!("{first} {second}");
            let kind = if second == "Labs" && rng.gen_bool(0.5) { "organisation" } else { "company" };
            (name.clone(), slugify(&name), kind)
        }
        3 => {
            let (zh, pinyin) = CREATOR_ZH[rng.gen_range(0..CREATOR_ZH.len())];
            let (suffix_zh, suffix_en) = CREATOR_ZH_SUFFIX[rng.gen_range(0..CREATOR_ZH_SUFFIX.len())];
            (format!("{zh}{suffix_zh}"), format!("{pinyin}-{suffix_en}"), "company")
        }
        _ => {
            let bird = BIRDS[rng.gen_range(0..BIRDS.len())].0;
            let first = ["Mia", "Tomás", "Lena", "Arjun", "Wei", "Sofia", "Kenji", "Amara", "Lucas", "Yuki"]
                [rng.gen_range(0..10)];
            let name = format!("{first}'s {bird} Workshop");
            (name.clone(), slugify(&name), "individual")
        }
    }
}

fn creator_bio(rng: &mut ChaCha8Rng, kind: &str, city: &str) -> (String, String) {
    let years = rng.gen_range(2..15);
    match kind {
        "individual" => (
            format!(
                "Independent builder in {city}. Every airframe is assembled, tuned and test-flown by hand; {years} years of flying behind it."
            ),
            format!("来自{city}的独立创作者，每架飞机都亲手组装、调试和试飞，拥有{years}年飞行经验。"),
        ),
        "organisation" => (
            format!("A research group in {city} turning {years} years of field work into aircraft others can use."),
            format!("位于{city}的研究团队，把{years}年的外场经验做成人人可用的飞行器。"),
        ),
        _ => (
            format!(
                "Drone maker based in {city}, designing and building aircraft for {years} years. Spare parts and support for every model we sell."
            ),
            format!("总部位于{city}的无人机制造商，{years}年专注设计与生产，所售机型均提供备件和售后支持。"),
        ),
    }
}

struct Generated<'a> {
    id: Uuid,
    index: usize,
    creator: &'a CreatorRow,
    category: &'a CategoryRow,
    name_en: String,
    name_zh: String,
    summary_en: String,
    summary_zh: String,
    description_en: String,
    description_zh: String,
    price_cents: i64,
    stock: i32,
    status: &'static str,
    published_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    measures: Measures,
    ip: Option<&'static str>,
    features: Vec<&'static str>,
    compatibility: Vec<&'static str>,
    tags: Vec<&'static str>,
    hue: u16,
    certified: bool,
    search: SearchText,
}

fn between(rng: &mut ChaCha8Rng, (lo, hi): (i32, i32), quality: f64) -> i32 {
    let noise: f64 = rng.gen_range(-0.15..0.15);
    let t = (quality + noise).clamp(0.0, 1.0);
    lo + ((hi - lo) as f64 * t).round() as i32
}

/// Between `count.start` and `count.end - 1` distinct items.
fn pick<T: Copy>(rng: &mut ChaCha8Rng, from: &[T], count: std::ops::Range<usize>) -> Vec<T> {
    let n = rng.gen_range(count);
    from.choose_multiple(rng, n.min(from.len())).copied().collect()
}

/// How often each top-level category occurs, in `CATALOG` order.
const TOP_WEIGHTS: [u32; 6] = [30, 25, 15, 8, 7, 15];

fn choose_category<'a>(rng: &mut ChaCha8Rng, categories: &'a [CategoryRow]) -> &'a CategoryRow {
    let total: u32 = TOP_WEIGHTS.iter().sum();
    let mut roll = rng.gen_range(0..total);
    let mut top = 0;
    for (i, w) in TOP_WEIGHTS.iter().enumerate() {
        if roll < *w {
            top = i;
            break;
        }
        roll -= w;
    }
    let subs: Vec<&CategoryRow> = categories.iter().filter(|c| c.parent_en == CATALOG[top].name_en).collect();
    subs[rng.gen_range(0..subs.len())]
}

fn generate_product<'a>(
    rng: &mut ChaCha8Rng,
    index: usize,
    creator: &'a CreatorRow,
    categories: &'a [CategoryRow],
    now: DateTime<Utc>,
) -> Generated<'a> {
    let category = choose_category(rng, categories);
    let p = category.profile;
    // One "quality" draw drives price and specs together: better aircraft cost more.
    let quality: f64 = rng.r#gen::<f64>().powf(1.3);
    let (bird_en, bird_zh) = BIRDS[rng.gen_range(0..BIRDS.len())];
    let model = match rng.gen_range(0..3) {
        0 => format!("{}", rng.gen_range(1..10)),
        1 => format!("{}{}", ["M", "S", "V", "T", "R", "A"][rng.gen_range(0..6)], rng.gen_range(2..99) * 10),
        _ => ["II", "III", "Neo", "One", "Zero"][rng.gen_range(0..5)].to_owned(),
    };
    let suffix = MODEL_SUFFIXES[rng.gen_range(0..MODEL_SUFFIXES.len())];
    let name_en = format!("{bird_en} {model}{suffix} {}", p.noun_en);
    let name_zh = format!("{bird_zh} {model}{suffix} {}", p.noun_zh);

    let dollars = p.price_usd.0 as f64 + (p.price_usd.1 - p.price_usd.0) as f64 * quality;
    let price_cents = (((dollars / 10.0).round() as i64 * 10) - 1).max(9) * 100;
    let mut measures = Measures::default();
    for &(spec, range) in p.measures {
        let value = between(rng, range, quality);
        // Ranges read as whole hundreds of metres.
        let value = if spec.info().unit == Unit::Metres { value / 100 * 100 } else { value };
        measures.set(spec, Some(value));
    }
    if let Some(length) = measures.get(Spec::LengthMm) {
        measures.set(Spec::WidthMm, Some(((f64::from(length) * rng.gen_range(0.8..1.1)) as i32).max(1)));
        measures.set(Spec::HeightMm, Some((f64::from(length) * rng.gen_range(0.2..0.4)).max(8.0) as i32));
    }
    let weight_g = measures.get(Spec::WeightG).unwrap_or_default();
    let (flight_min, range_m) = (measures.get(Spec::FlightTimeMin), measures.get(Spec::RangeM));
    let ip = p.ip[rng.gen_range(0..p.ip.len())];
    let features = pick(rng, p.features, 3..6);
    let compatibility = pick(rng, p.compatibility, 2..4);
    let mut tags = pick(rng, p.tags, 2..4);
    if quality > 0.8 {
        tags.push("pro");
    }
    let stock = if rng.gen_bool(0.08) { 0 } else { rng.gen_range(1..=250) };
    let status = match rng.gen_range(0..100) {
        0..=1 => "draft",
        2..=3 => "archived",
        _ => "published",
    };
    let created_at = now - Duration::days(rng.gen_range(1..900)) - Duration::minutes(rng.gen_range(0..1440));
    let published_at = (status != "draft").then(|| created_at + Duration::days(rng.gen_range(0..4)));
    let certified = status == "published" && rng.gen_bool(0.28);

    let flight_en = flight_min.map(|m| format!("{m} minutes in the air")).unwrap_or_default();
    let flight_zh = flight_min.map(|m| format!("续航{m}分钟")).unwrap_or_default();
    let spec_en =
        [flight_en.as_str(), &range_m.map(|r| format!("{} km of range", r as f64 / 1000.0)).unwrap_or_default()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
    let spec_zh =
        [flight_zh.as_str(), &range_m.map(|r| format!("图传距离{}公里", r as f64 / 1000.0)).unwrap_or_default()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("，");
    let summary_en = if spec_en.is_empty() {
        format!("{} for {}, {} g.", p.noun_en, p.use_en, weight_g)
    } else {
        format!("{} for {}: {spec_en}.", p.noun_en, p.use_en)
    };
    let summary_zh = if spec_zh.is_empty() {
        format!("适合{}的{}，重{}克。", p.use_zh, p.noun_zh, weight_g)
    } else {
        format!("适合{}的{}：{spec_zh}。", p.use_zh, p.noun_zh)
    };
    let description_en = format!(
        "The {name_en} is built by {} for {}. It weighs {weight_g} g and brings {}. {} Works with {}. {}",
        creator.display_name,
        p.use_en,
        features.join(", "),
        if ip.is_some() { "Sealed against dust and rain for work in the field." } else { "Best flown in dry weather." },
        compatibility.join(", "),
        [
            "Every unit is test-flown before it ships.",
            "Spare parts are stocked for at least five years.",
            "Ships with two batteries and a hard case.",
            "Firmware updates are free for the life of the aircraft.",
        ][rng.gen_range(0..4)]
    );
    let description_zh = format!(
        "{name_zh}由{}打造，专为{}设计。整机重{weight_g}克，配备{}。{}兼容{}。{}",
        creator.display_name,
        p.use_zh,
        features.join("、"),
        if ip.is_some() {
            "具备防尘防雨能力，适合野外作业。"
        } else {
            "建议在干燥天气飞行。"
        },
        compatibility.join("、"),
        ["每台出厂前均经过试飞。", "备件至少供应五年。", "标配两块电池和保护箱。", "终身免费固件升级。"]
            [rng.gen_range(0..4)]
    );
    let tag_strings: Vec<String> = tags.iter().map(|t| (*t).to_owned()).collect();
    let feature_strings: Vec<String> = features.iter().map(|t| (*t).to_owned()).collect();
    let compat_strings: Vec<String> = compatibility.iter().map(|t| (*t).to_owned()).collect();
    let search = SearchText::of(&Searchable {
        name_en: &name_en,
        name_zh: &name_zh,
        summary_en: &summary_en,
        summary_zh: &summary_zh,
        description_en: &description_en,
        description_zh: &description_zh,
        tags: &tag_strings,
        features: &feature_strings,
        compatibility: &compat_strings,
        ip_rating: ip,
        creator_name: &creator.display_name,
        category_names: [category.name_en, category.name_zh, category.parent_en, category.parent_zh],
    });
    Generated {
        id: uuid(rng),
        index,
        creator,
        category,
        name_en,
        name_zh,
        summary_en,
        summary_zh,
        description_en,
        description_zh,
        price_cents,
        stock,
        status,
        published_at,
        created_at,
        measures,
        ip,
        features,
        compatibility,
        tags,
        hue: rng.gen_range(0..360),
        certified,
        search,
    }
}

/// COPY text for one chunk of products and everything that hangs off them.
#[derive(Default)]
struct Chunk {
    /// Product rows without their last column, the search document.
    products: CopyBuffer,
    /// Each product's words, in row order, until they become `documents`.
    search: Vec<SearchText>,
    documents: Vec<String>,
    media: CopyBuffer,
    certifications: CopyBuffer,
    tests: CopyBuffer,
}

impl Chunk {
    /// Makes the search documents with the database's own definition,
    /// catalog_search_document(), on any connection (it is a pure function).
    async fn document(mut self, conn: &mut PgConnection) -> Result<Chunk> {
        let mut columns: [Vec<String>; 4] = Default::default();
        for text in std::mem::take(&mut self.search) {
            let [names, labels, specs, body] = &mut columns;
            names.push(text.names);
            labels.push(text.labels);
            specs.push(text.specs);
            body.push(text.body);
        }
        let [names, labels, specs, body] = columns;
        self.documents = sqlx::query_scalar(
            "select catalog_search_document(names, labels, specs, body)::text
             from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality t(names, labels, specs, body, n)
             order by n",
        )
        .bind(names)
        .bind(labels)
        .bind(specs)
        .bind(body)
        .fetch_all(&mut *conn)
        .await?;
        Ok(self)
    }

    async fn load(mut self, conn: &mut PgConnection) -> Result<()> {
        let products = self.products.take();
        if products.is_empty() {
            return Ok(());
        }
        copy_in(
            conn,
            "copy products (id, creator_id, category_id, slug, status, name_en, name_zh, summary_en, summary_zh, \
             description_en, description_zh, price_minor, currency, stock_on_hand, specs, ip_rating, compatibility, features, tags, published_at, \
             created_at, updated_at, certified_level, certified_until, search_document) from stdin",
            copy::append_column(&products, &self.documents)?,
        )
        .await?;
        copy_in(
            conn,
            "copy product_media (id, product_id, kind, position, url, alt_en, alt_zh, width, height) from stdin",
            self.media.take(),
        )
        .await?;
        copy_in(
            conn,
            "copy certifications (id, product_id, level, body, granted_at, expires_at) from stdin",
            self.certifications.take(),
        )
        .await?;
        copy_in(
            conn,
            "copy certification_tests (id, certification_id, position, test_name, metric, value, unit, passed, \
             tested_at) from stdin",
            self.tests.take(),
        )
        .await
    }
}

/// A generated certificate: never revoked, granted before the load began.
struct Certificate {
    level: &'static str,
    granted: DateTime<Utc>,
    expires: DateTime<Utc>,
}

/// The certificate refresh_product_certification() (migration 20261126000004) puts on
/// the product row: of those neither revoked nor granted in the future, the newest
/// granted, whether or not it has expired; none if there is none. The loader writes
/// it itself because the trigger that calls that function stands aside in a bulk
/// load; a test compares the two on a generated catalog.
fn current_certificate(certificates: &[Certificate], now: DateTime<Utc>) -> Option<&Certificate> {
    certificates.iter().filter(|c| c.granted <= now).max_by_key(|c| c.granted)
}

impl Generated<'_> {
    fn write(self, b: &mut Chunk, rng: &mut ChaCha8Rng, now: DateTime<Utc>) {
        let slug = format!("{}-{}", slugify(&self.name_en), base36(self.index));

        let views = rng.gen_range(3..=4u8);
        let alt =
            [("top view", "俯视图"), ("three-quarter view", "斜侧视图"), ("low view", "仰视图"), ("detail", "细节")];
        for view in 0..views {
            let (alt_en, alt_zh) = alt[view as usize];
            b.media
                .value(uuid(rng))
                .value(self.id)
                .text("image")
                .value(view)
                .text(&artwork::url(self.category.profile.shape, self.hue, view))
                .text(&format!("{}, {alt_en}", self.name_en))
                .text(&format!("{}{alt_zh}", self.name_zh))
                .value(800)
                .value(600);
            b.media.end_row();
        }
        // The spec sheet is drawn from the live product when asked for (crate::catalog::spec_sheet).
        b.media
            .value(uuid(rng))
            .value(self.id)
            .text("document")
            .value(views)
            .text(&crate::catalog::spec_sheet::url(&slug))
            .text("Specification sheet (PDF)")
            .text("规格表（PDF）")
            .opt(None::<i32>)
            .opt(None::<i32>);
        b.media.end_row();

        let mut certificates = Vec::new();
        if self.certified {
            let level = match rng.gen_range(0..100) {
                0..=49 => "basic",
                50..=84 => "standard",
                _ => "premium",
            };
            let granted = now - Duration::days(rng.gen_range(5..800));
            // Some validity periods have run out: those products show an expired certificate.
            let expires = granted + Duration::days([365, 730][rng.gen_range(0..2)]);
            let cert_id = uuid(rng);
            b.certifications
                .value(cert_id)
                .value(self.id)
                .text(level)
                .text(CERT_BODIES[rng.gen_range(0..CERT_BODIES.len())])
                .value(granted)
                .value(expires);
            b.certifications.end_row();
            for (position, test) in self.tests(rng, level != "basic").into_iter().enumerate() {
                b.tests
                    .value(uuid(rng))
                    .value(cert_id)
                    .value(position)
                    .text(test.0)
                    .text(test.1)
                    .text(&test.2)
                    .text(test.3)
                    .value(test.4)
                    .value(granted - Duration::days(rng.gen_range(3..30)));
                b.tests.end_row();
            }
            certificates.push(Certificate { level, granted, expires });
        }
        let current = current_certificate(&certificates, now);

        // The search document is appended once the database has made it.
        b.products
            .value(self.id)
            .value(self.creator.id)
            .value(self.category.id)
            .text(&slug)
            .text(self.status)
            .text(&self.name_en)
            .text(&self.name_zh)
            .text(&self.summary_en)
            .text(&self.summary_zh)
            .text(&self.description_en)
            .text(&self.description_zh)
            .value(self.price_cents)
            .text("USD")
            .value(self.stock)
            .text(&serde_json::to_string(&self.measures).unwrap_or_default())
            .opt(self.ip)
            .array(&self.compatibility)
            .array(&self.features)
            .array(&self.tags)
            .opt(self.published_at)
            .value(self.created_at)
            .value(self.published_at.unwrap_or(self.created_at))
            .opt(current.map(|c| c.level))
            .opt(current.map(|c| c.expires));
        b.products.end_row();
        b.search.push(self.search);
    }

    /// (test, metric, value, unit, passed), measured against the product's own claims.
    /// Standard and premium levels are only granted when every test passes.
    fn tests(
        &self,
        rng: &mut ChaCha8Rng,
        all_pass: bool,
    ) -> Vec<(&'static str, &'static str, String, &'static str, bool)> {
        let mut tests = Vec::new();
        let worst = if all_pass { 0.0 } else { 1.0 };
        if let Some(minutes) = self.measures.get(Spec::FlightTimeMin) {
            let measured = minutes as f64 * rng.gen_range(0.92 - 0.06 * worst..1.02);
            tests.push((
                "Hover endurance",
                "flight time",
                format!("{measured:.1}"),
                "min",
                measured >= minutes as f64 * 0.9,
            ));
        }
        if let Some(range) = self.measures.get(Spec::RangeM) {
            let measured = range as f64 / 1000.0 * rng.gen_range(0.8..1.0);
            tests.push(("Radio link", "range with video", format!("{measured:.1}"), "km", true));
        }
        // Against the stated wind resistance, or 10 m/s where none is stated.
        let claimed = self.measures.get(Spec::WindResistanceMs).map_or(10.0, f64::from);
        let wind: f64 = claimed * rng.gen_range(0.85 - 0.1 * worst..1.2);
        tests.push(("Wind tunnel", "max sustained wind", format!("{wind:.1}"), "m/s", wind >= claimed * 0.85));
        let rth: f64 = rng.gen_range(0.3..2.0 + 0.5 * worst);
        tests.push(("Return to home", "landing accuracy", format!("{rth:.1}"), "m", rth <= 2.0));
        let temp: f64 = rng.gen_range(48.0..74.0 + 4.0 * worst);
        tests.push(("Motor thermal", "peak temperature", format!("{temp:.0}"), "°C", temp <= 75.0));
        if let Some(ip) = self.ip {
            tests.push(("Ingress protection", ip, "0".to_owned(), "ml water inside", true));
        }
        tests
    }
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[n % 36]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_numbers_count_in_base_36() {
        assert_eq!(base36(0), "0");
        assert_eq!(base36(36 * 36 + 35), "10z");
    }
}
