//! The storefront catalog and search, on a small hand-made catalog whose answers are
//! known, and on a generated one.

use reqwest::StatusCode;
use sqlx::PgPool;
use types::{
    Locale, UserId,
    ids::ProductId,
    search::{SearchPage, SearchParams},
    specs::Spec,
};
use uuid::Uuid;

use domain::search::index::SearchIndex;

use crate::helpers::{TestApp, catalog_written, spawn_app, wait_for_index};

struct P {
    slug: &'static str,
    name_en: &'static str,
    name_zh: &'static str,
    description_en: &'static str,
    description_zh: &'static str,
    category: &'static str,
    creator: usize,
    price_usd: i64,
    stock: i32,
    flight_min: Option<i32>,
    range_m: Option<i32>,
    ip: Option<&'static str>,
    /// (level, days since granted, validity in days)
    cert: Option<(&'static str, i64, i64)>,
}

const CATALOG: &[P] = &[
    P {
        slug: "kestrel-vtol",
        name_en: "Kestrel Mapping VTOL",
        name_zh: "红隼 垂直起降测绘无人机",
        description_en: "Survey large farms without a runway.",
        description_zh: "无需跑道即可测量大型农场。",
        category: "mapping",
        creator: 0,
        price_usd: 12_999,
        stock: 4,
        flight_min: Some(90),
        range_m: Some(40_000),
        ip: Some("IP54"),
        cert: Some(("premium", 30, 365)),
    },
    P {
        slug: "swift-racer",
        name_en: "Swift Racing Quad",
        name_zh: "雨燕 竞速穿越机",
        description_en: "A 5-inch racer with a tiny camera for goggles.",
        description_zh: "五寸竞速机，配备小型图传相机。",
        category: "racing",
        creator: 1,
        price_usd: 399,
        stock: 0,
        flight_min: Some(5),
        range_m: Some(1_500),
        ip: None,
        cert: None,
    },
    P {
        slug: "heron-camera",
        name_en: "Heron Camera Drone",
        name_zh: "苍鹭 专业航拍无人机",
        description_en: "Folding 4K drone for travel.",
        description_zh: "适合旅行的折叠4K无人机。",
        category: "camera",
        creator: 0,
        price_usd: 899,
        stock: 12,
        flight_min: Some(34),
        range_m: Some(12_000),
        ip: None,
        cert: Some(("standard", 100, 365)),
    },
    P {
        slug: "osprey-thermal",
        name_en: "Osprey Thermal Inspection Drone",
        name_zh: "鱼鹰 热成像巡检无人机",
        description_en: "Finds hot spots on power lines.",
        description_zh: "发现电力线上的过热点。",
        category: "mapping",
        creator: 1,
        price_usd: 6_499,
        stock: 2,
        flight_min: Some(42),
        range_m: Some(15_000),
        ip: Some("IP55"),
        // Granted long ago and expired: must never count as certified.
        cert: Some(("premium", 500, 365)),
    },
    P {
        slug: "tern-sprayer",
        name_en: "Tern Crop Sprayer",
        name_zh: "燕鸥 植保无人机",
        description_en: "Sprays orchards evenly.",
        description_zh: "均匀喷洒果园。",
        category: "camera",
        creator: 0,
        price_usd: 9_999,
        stock: 7,
        flight_min: Some(15),
        range_m: Some(3_000),
        ip: Some("IP54"),
        cert: Some(("basic", 10, 730)),
    },
];

/// Two makers, a top-level category with three subcategories, and the products above.
async fn hand_made_catalog(pool: &PgPool) {
    let mut creators = Vec::new();
    for (i, name) in ["Northwind Aero", "云翼科技"].into_iter().enumerate() {
        let user = Uuid::new_v4();
        sqlx::query("insert into users (id, email, name, password_hash) values ($1, $2, $3, 'x')")
            .bind(user)
            .bind(format!("maker{i}@example.test"))
            .bind(name)
            .execute(pool)
            .await
            .expect("user");
        let id = Uuid::new_v4();
        sqlx::query(
            "insert into creators (id, user_id, slug, display_name, kind, status, verified_at)
             values ($1, $2, $3, $4, 'company', 'verified', now())",
        )
        .bind(id)
        .bind(user)
        .bind(["northwind-aero", "yunyi-tech"][i])
        .bind(name)
        .execute(pool)
        .await
        .expect("creator");
        creators.push(id);
    }
    let top = Uuid::new_v4();
    sqlx::query(
        "insert into categories (id, level, slug, name_en, name_zh) values ($1, 1, 'drones', 'Drones', '无人机')",
    )
    .bind(top)
    .execute(pool)
    .await
    .expect("top category");
    for (slug, en, zh) in [("mapping", "Mapping", "测绘"), ("racing", "Racing", "竞速"), ("camera", "Camera", "航拍")]
    {
        sqlx::query(
            "insert into categories (id, parent_id, level, slug, name_en, name_zh) values ($1, $2, 2, $3, $4, $5)",
        )
        .bind(Uuid::new_v4())
        .bind(top)
        .bind(slug)
        .bind(en)
        .bind(zh)
        .execute(pool)
        .await
        .expect("category");
    }
    for p in CATALOG {
        let id = Uuid::new_v4();
        sqlx::query(
            "insert into products (id, creator_id, category_id, slug, status, name_en, name_zh, description_en,
                 description_zh, price_minor, stock_on_hand, specs, ip_rating, published_at)
             values ($1, $2, (select id from categories where slug = $3), $4, 'published', $5, $6, $7, $8, $9, $10,
                 jsonb_strip_nulls(jsonb_build_object('flight_time_min', $11::int, 'range_m', $12::int, 'weight_g', 900)),
                 $13, now())",
        )
        .bind(id)
        .bind(creators[p.creator])
        .bind(p.category)
        .bind(p.slug)
        .bind(p.name_en)
        .bind(p.name_zh)
        .bind(p.description_en)
        .bind(p.description_zh)
        .bind(p.price_usd * 100)
        .bind(p.stock)
        .bind(p.flight_min)
        .bind(p.range_m)
        .bind(p.ip)
        .execute(pool)
        .await
        .expect("product");
        sqlx::query("insert into product_media (id, product_id, kind, position, url) values ($1, $2, 'image', 0, $3)")
            .bind(Uuid::new_v4())
            .bind(id)
            .bind("/media/art/quad/200/0.svg")
            .execute(pool)
            .await
            .expect("media");
        if let Some((level, days_ago, valid_days)) = p.cert {
            let cert = Uuid::new_v4();
            sqlx::query(
                "insert into certifications (id, product_id, level, body, granted_at, expires_at)
                 values ($1, $2, $3, 'OpenAero Flight Lab', now() - make_interval(days => $4),
                         now() - make_interval(days => $4) + make_interval(days => $5))",
            )
            .bind(cert)
            .bind(id)
            .bind(level)
            .bind(days_ago as i32)
            .bind(valid_days as i32)
            .execute(pool)
            .await
            .expect("certification");
            sqlx::query(
                "insert into certification_tests (id, certification_id, position, test_name, metric, value, unit,
                     passed, tested_at)
                 values ($1, $2, 0, 'Hover endurance', 'flight time', 27.5, 'min', true, now() - interval '40 days')",
            )
            .bind(Uuid::new_v4())
            .bind(cert)
            .execute(pool)
            .await
            .expect("test result");
        }
        let mut conn = pool.acquire().await.expect("conn");
        domain::search::document::refresh(&mut conn, id).await.expect("search document");
    }
}

/// A search straight through the domain, uncached, answered by both engines: the
/// in-memory index must agree with PostgreSQL on what matched, the facet counts and
/// (where the order is not a relevance score) the order.
async fn search(pool: &PgPool, query: &[(&str, &str)]) -> SearchPage {
    let [memory, _] = answers(pool, query).await;
    memory
}

/// The in-memory engine's answer and PostgreSQL's, checked to agree.
async fn answers(pool: &PgPool, query: &[(&str, &str)]) -> [SearchPage; 2] {
    let (params, errors) = SearchParams::parse(query.iter().copied());
    let postgres = domain::catalog::search_page::compute(pool, &SearchIndex::new(false), params.clone(), Locale::En)
        .await
        .expect("search in PostgreSQL");
    let index = SearchIndex::new(true);
    index.load(pool).await.expect("index loads");
    let mut page = domain::catalog::search_page::compute(pool, &index, params.clone(), Locale::En)
        .await
        .expect("search in memory");
    assert_eq!(page.total, postgres.total, "{query:?}: engines disagree on how many matched");
    assert_eq!(page.facets, postgres.facets, "{query:?}: engines disagree on facet counts");
    assert_eq!(page.did_you_mean, postgres.did_you_mean);
    if params.q.is_empty() || params.sort != types::search::Sort::Relevance {
        assert_eq!(slugs(&page), slugs(&postgres), "{query:?}: engines disagree on the order");
    } else {
        let (mut a, mut b) = (slugs(&page), slugs(&postgres));
        a.sort();
        b.sort();
        assert_eq!(a, b, "{query:?}: engines disagree on the page");
    }
    page.errors = errors;
    [page, postgres]
}

fn slugs(page: &SearchPage) -> Vec<String> {
    page.products.iter().map(|p| p.slug.clone()).collect()
}

fn count(values: &[types::search::FacetValue], value: &str) -> u64 {
    values.iter().find(|v| v.value == value).map_or(0, |v| v.count)
}

/// An instance with the hand-made catalog in its database and its search index.
/// The catalog is written behind the instance's back (no events), so the index is
/// reloaded after its first load.
async fn app_with_catalog() -> TestApp {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    hand_made_catalog(&app.services.pool).await;
    catalog_written(&app).await;
    app
}

#[tokio::test]
async fn facet_counts_match_a_direct_count_of_the_catalog() {
    let app = app_with_catalog().await;
    let pool = &app.services.pool;

    let all = search(pool, &[]).await;
    assert_eq!(all.total, 5);
    assert_eq!(count(&all.facets.categories, "drones"), 5);
    assert_eq!(all.facets.in_stock, 4);
    // The expired premium certificate does not count: one valid premium, not two.
    assert_eq!(count(&all.facets.certification, "premium"), 1);
    assert_eq!(count(&all.facets.certification, "standard"), 1);
    assert_eq!(count(&all.facets.certification, "basic"), 1);
    assert_eq!(count(&all.facets.weather, "IP54"), 2);
    let spec = |spec: Spec| &all.facets.specs.iter().find(|f| f.spec == spec).expect("a facet").values;
    assert_eq!(count(spec(Spec::FlightTimeMin), "30"), 3);
    assert_eq!(count(spec(Spec::RangeM), "10"), 3);
    assert_eq!(count(&all.facets.price, "1000-2500"), 0);
    assert_eq!(count(&all.facets.price, "2500+"), 3);

    // Each facet is counted with the other filters but not its own.
    let filtered = search(pool, &[("category", "mapping"), ("in_stock", "1"), ("weather", "IP54")]).await;
    assert_eq!(slugs(&filtered), ["kestrel-vtol"]);
    assert_eq!(count(&filtered.facets.weather, "IP54"), 1);
    assert_eq!(count(&filtered.facets.weather, "IP55"), 1);
    assert_eq!(count(&filtered.facets.categories, "camera"), 1, "{:?}", filtered.facets.categories);

    // And every count equals the database's own answer for the same filters.
    let direct: i64 = sqlx::query_scalar(
        "select count(*) from products p join categories c on c.id = p.category_id
         where p.status = 'published' and c.slug = 'mapping' and p.stock_on_hand > p.stock_reserved",
    )
    .fetch_one(pool)
    .await
    .expect("count");
    let without_weather = search(pool, &[("category", "mapping"), ("in_stock", "1")]).await;
    assert_eq!(without_weather.total as i64, direct);
    let weather_sum: u64 = filtered.facets.weather.iter().map(|v| v.count).sum();
    assert_eq!(weather_sum as i64, direct);
}

#[tokio::test]
async fn filters_combine_and_sorts_order_the_results() {
    let app = app_with_catalog().await;
    let pool = &app.services.pool;
    let certified = search(pool, &[("cert", "premium"), ("cert", "standard")]).await;
    assert_eq!(slugs(&certified).len(), 2);
    assert!(!slugs(&certified).contains(&"osprey-thermal".to_owned()), "expired certificate counted");

    let cheap_long = search(pool, &[("price_max", "999"), ("flight_min", "30")]).await;
    assert_eq!(slugs(&cheap_long), ["heron-camera"]);
    // Bounds inside a price band, across bands, and exactly on a price; minimums on
    // an offered step and between steps.
    let sorted = |page: &SearchPage| {
        let mut s = slugs(page);
        s.sort();
        s
    };
    type Case = (&'static [(&'static str, &'static str)], &'static [&'static str]);
    let cases: [Case; 8] = [
        (&[("price_min", "399"), ("price_max", "399")], &["swift-racer"]),
        (&[("price_min", "400"), ("price_max", "6499")], &["heron-camera", "osprey-thermal"]),
        (&[("price_min", "6500")], &["kestrel-vtol", "tern-sprayer"]),
        (&[("price_max", "99")], &[]),
        (&[("flight_min", "34"), ("sort", "price_asc")], &["heron-camera", "kestrel-vtol", "osprey-thermal"]),
        (&[("flight_min", "35")], &["kestrel-vtol", "osprey-thermal"]),
        (&[("range_min", "10")], &["heron-camera", "kestrel-vtol", "osprey-thermal"]),
        (&[("range_min", "13")], &["kestrel-vtol", "osprey-thermal"]),
    ];
    for (query, expected) in cases {
        assert_eq!(sorted(&search(pool, query).await), expected, "{query:?}");
    }

    let by_maker = search(pool, &[("creator", "yunyi-tech"), ("sort", "price_asc")]).await;
    assert_eq!(slugs(&by_maker), ["swift-racer", "osprey-thermal"]);

    let by_price = search(pool, &[("sort", "price_desc")]).await;
    assert_eq!(slugs(&by_price)[0], "kestrel-vtol");
    let by_flight = search(pool, &[("sort", "flight_time")]).await;
    assert_eq!(slugs(&by_flight)[..2], ["kestrel-vtol", "osprey-thermal"]);
}

#[tokio::test]
async fn english_and_chinese_queries_find_the_right_product_first() {
    let app = app_with_catalog().await;
    let pool = &app.services.pool;
    let cases = [
        ("mapping vtol", "kestrel-vtol"),
        ("racing quad", "swift-racer"),
        ("thermal", "osprey-thermal"),
        ("航拍无人机", "heron-camera"),
        ("热成像", "osprey-thermal"),
        ("植保", "tern-sprayer"),
        ("测绘", "kestrel-vtol"),
        ("云翼科技", "swift-racer"),
        // A name match ranks above a description that mentions the word.
        ("camera", "heron-camera"),
    ];
    for (query, expected) in cases {
        for page in answers(pool, &[("q", query)]).await {
            let top: Vec<String> = slugs(&page).into_iter().take(3).collect();
            assert!(top.contains(&expected.to_owned()), "{query:?} → {top:?}, expected {expected}");
        }
    }
    for camera in answers(pool, &[("q", "camera")]).await {
        assert_eq!(slugs(&camera)[0], "heron-camera");
    }
    let camera = search(pool, &[("q", "camera")]).await;
    assert!(camera.products[0].name.iter().any(|m| m.hit && m.text == "Camera"), "match is highlighted");
}

#[tokio::test]
async fn a_misspelt_query_is_corrected_and_says_so() {
    let app = app_with_catalog().await;
    let page = search(&app.services.pool, &[("q", "kestral")]).await;
    assert_eq!(page.did_you_mean.as_deref(), Some("kestrel"));
    assert!(page.corrected);
    assert_eq!(slugs(&page), ["kestrel-vtol"]);

    let nothing = search(&app.services.pool, &[("q", "xylophone")]).await;
    assert_eq!(nothing.total, 0);
    assert!(nothing.products.is_empty());
}

#[tokio::test]
async fn every_search_served_is_logged_even_from_the_page_cache_and_a_click_marks_one() {
    let app = app_with_catalog().await;
    // Two visitors ask for the same search: the second gets the page kept from the first.
    let pages = [app.get_html("/search?q=heron&in_stock=1").await, app.get_html("/search?q=heron&in_stock=1").await];
    let link = |page: &str| {
        let at = page.find("/p/heron-camera?from_search=").expect("result links carry the page's id");
        page[at..at + "/p/heron-camera?from_search=".len() + 36].to_owned()
    };
    assert_eq!(link(&pages[0]), link(&pages[1]), "the same page of results");
    let link = link(&pages[0]);
    let page_id = link.rsplit('=').next().expect("id").to_owned();
    assert_eq!(app.get_page(&link).await.status(), StatusCode::OK);
    // The log is written in batches a few times a second.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    let rows = loop {
        let rows: Vec<(String, i32, Option<String>, serde_json::Value)> = sqlx::query_as(
            "select l.query, l.result_count, p.slug, l.filters from search_log l
             left join products p on p.id = l.clicked_product_id where l.page_id = $1::uuid order by l.created_at",
        )
        .bind(&page_id)
        .fetch_all(&app.services.pool)
        .await
        .expect("log");
        let clicked = rows.iter().filter(|r| r.2.is_some()).count();
        match (rows.len(), clicked) {
            (2, 1) => break rows,
            _ if std::time::Instant::now() < deadline => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            _ => panic!("expected two searches and one click within 3 s, got {rows:?}"),
        }
    };
    for (query, results, _, filters) in &rows {
        assert_eq!((query.as_str(), *results), ("heron", 1));
        assert_eq!(filters["in_stock"], true);
    }
    assert_eq!(rows.iter().filter_map(|r| r.2.as_deref()).collect::<Vec<_>>(), ["heron-camera"]);
}

/// A generated catalog of `products`, from `seed`, without a demo account.
pub(crate) fn seed_options(products: usize, seed: u64) -> domain::catalog::seed::SeedOptions {
    domain::catalog::seed::SeedOptions {
        products,
        seed,
        password: "unused-in-this-test".into(),
        first_creator_email: None,
    }
}

#[tokio::test]
async fn pages_past_the_end_are_empty_and_bad_pages_are_reported() {
    let app = spawn_app().await;
    let pool = &app.services.pool;
    let options = seed_options(60, 7);
    domain::catalog::seed::seed_catalog(pool, &options).await.expect("seed");
    let first = search(pool, &[]).await;
    let total = first.total;
    assert!(total > 48 && total <= 60, "{total}");
    assert_eq!(first.page_count, 3);
    assert_eq!(first.products.len(), 24);
    let last = search(pool, &[("page", "3")]).await;
    assert_eq!(last.products.len() as u64, total - 48);
    let beyond = search(pool, &[("page", "4")]).await;
    assert!(beyond.products.is_empty());
    let zero = search(pool, &[("page", "0")]).await;
    assert_eq!(zero.params.page, 1);
    assert_eq!(zero.errors[0].field, "page");
    // Every product on every page is distinct.
    let mut seen = std::collections::HashSet::new();
    for n in 1..=3 {
        for slug in slugs(&search(pool, &[("page", &n.to_string())]).await) {
            assert!(seen.insert(slug), "a product appeared on two pages");
        }
    }
}

#[tokio::test]
async fn the_same_seed_generates_the_same_catalog() {
    let (a, b) = (spawn_app().await, spawn_app().await);
    for app in [&a, &b] {
        let options = seed_options(40, 42);
        domain::catalog::seed::seed_catalog(&app.services.pool, &options).await.expect("seed");
    }
    let listing = |pool: PgPool| async move {
        sqlx::query_as::<_, (String, String, i64)>("select slug, name_zh, price_minor from products order by slug")
            .fetch_all(&pool)
            .await
            .expect("products")
    };
    let (first, second) = (listing(a.services.pool.clone()).await, listing(b.services.pool.clone()).await);
    assert_eq!(first.len(), 40);
    assert_eq!(first, second);
    let again = domain::catalog::seed::seed_catalog(
        &a.services.pool,
        &domain::catalog::seed::SeedOptions { products: 10, seed: 1, password: "x".into(), first_creator_email: None },
    )
    .await
    .expect("second seed");
    assert!(again.skipped, "seeding twice must not add a second catalog");
}

/// A catalog generated while instances run reaches their search indexes (the load
/// announces itself), and every generated product links a spec sheet that opens.
#[tokio::test]
async fn a_generated_catalog_is_searchable_at_once_and_links_its_spec_sheets() {
    let app = spawn_app().await;
    wait_for_index(&app).await;
    let options = seed_options(30, 5);
    domain::catalog::seed::seed_catalog(&app.services.pool, &options).await.expect("seed");
    let slug: String = sqlx::query_scalar(
        "select slug from products where status = 'published' and stock_on_hand > 0 order by published_at desc limit 1",
    )
    .fetch_one(&app.services.pool)
    .await
    .expect("a published product");
    let link = format!("href=\"/p/{slug}\"");
    within_two_seconds(&app, "/search?sort=newest", "generated catalog", |html| html.contains(&link)).await;

    let page = app.get_html(&format!("/p/{slug}")).await;
    let sheet = format!("/media/spec-sheets/{slug}.pdf");
    assert!(page.contains(&format!("href=\"{sheet}\"")) && page.contains("Specification sheet (PDF)"), "{page}");
    let pdf = app.client.get(app.url(&sheet)).send().await.expect("sheet");
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
}

/// A specification added to `types::specs` is in the storefront at once: filterable in
/// both engines with a facet per step, stated on product pages with its unit.
#[tokio::test]
async fn shoppers_filter_by_wind_resistance_and_read_it_with_its_beaufort_force() {
    let app = spawn_app().await;
    let pool = &app.services.pool;
    domain::catalog::seed::seed_catalog(pool, &seed_options(120, 11)).await.expect("seed");
    let [page, _] = answers(pool, &[("wind_min", "14")]).await;
    let stated: i64 = sqlx::query_scalar(
        "select count(*) from products
         where status = 'published' and (specs->>'wind_resistance_ms')::int >= 14",
    )
    .fetch_one(pool)
    .await
    .expect("count");
    assert!(stated > 0 && page.total == stated as u64, "{} found, {stated} stated", page.total);
    let facet = page.facets.specs.iter().find(|f| f.spec == Spec::WindResistanceMs).expect("a wind facet");
    let steps: Vec<(&str, bool)> = facet.values.iter().map(|v| (v.value.as_str(), v.selected)).collect();
    assert_eq!(steps, [("8", false), ("11", false), ("14", true), ("18", false)]);

    let (slug, wind): (String, i32) = sqlx::query_as(
        "select slug, (specs->>'wind_resistance_ms')::int from products
         where status = 'published' and specs ? 'wind_resistance_ms' limit 1",
    )
    .fetch_one(pool)
    .await
    .expect("a product with wind resistance");
    catalog_written(&app).await;
    let html = app.get_html(&format!("/p/{slug}")).await;
    let force = types::specs::beaufort(wind);
    assert!(html.contains(&format!("{wind} m/s (Beaufort {force})")), "the page states it");
    let listing = app.get_html("/search?wind_min=11").await;
    assert!(listing.contains("Wind resistance") && listing.contains("11+ m/s (Beaufort 6)"), "the facet is offered");
}

/// The generator writes each product's certificate columns and search document itself
/// (in a bulk load the certificate trigger stands aside): they must be exactly what
/// refresh_product_certification() and the search document refresh make of the same
/// rows. Outside a bulk load the trigger keeps products current as before, and the
/// setting does not outlive its transaction.
#[tokio::test]
async fn a_generated_catalog_is_what_the_trigger_and_the_search_refresh_would_write() {
    type Row = (Uuid, Option<String>, Option<chrono::DateTime<chrono::Utc>>, String);
    const ROWS: &str = "select id, certified_level, certified_until, search_document::text from products order by id";
    let (pool, _) = crate::helpers::fresh_database().await;
    let options = seed_options(400, 11);
    let indexes = "select indexrelid::regclass::text, pg_get_indexdef(indexrelid) from pg_index
                   where indrelid = any(array['products', 'product_media', 'certifications',
                                              'certification_tests']::regclass[])
                   order by 1";
    let migrated: Vec<(String, String)> = sqlx::query_as(indexes).fetch_all(&pool).await.expect("indexes");
    let report = domain::catalog::seed::seed_catalog(&pool, &options).await.expect("seed");
    assert_eq!(report.products, 400);
    // The loader builds the secondary indexes after the rows: they come back as they were.
    let rebuilt: Vec<(String, String)> = sqlx::query_as(indexes).fetch_all(&pool).await.expect("indexes");
    assert_eq!(migrated, rebuilt);
    assert!(migrated.iter().any(|(name, _)| name == "products_search_idx"), "{migrated:?}");

    let mut tx = pool.begin().await.expect("begin");
    let seeded: Vec<Row> = sqlx::query_as(ROWS).fetch_all(&mut *tx).await.expect("seeded");
    let now = chrono::Utc::now();
    let valid = seeded.iter().filter(|r| r.2.is_some_and(|until| until > now)).count();
    let expired = seeded.iter().filter(|r| r.2.is_some_and(|until| until <= now)).count();
    let none = seeded.iter().filter(|r| r.1.is_none()).count();
    assert!(valid > 20 && expired > 5 && none > 200, "valid {valid}, expired {expired}, none {none}");
    sqlx::query("select refresh_product_certification(id) from products").execute(&mut *tx).await.expect("refresh");
    for (id, ..) in &seeded {
        domain::search::document::refresh(&mut tx, *id).await.expect("search document");
    }
    let refreshed: Vec<Row> = sqlx::query_as(ROWS).fetch_all(&mut *tx).await.expect("refreshed");
    tx.rollback().await.expect("rollback");
    assert_eq!(seeded.len(), refreshed.len());
    let drift: Vec<_> = seeded.iter().zip(&refreshed).filter(|(a, b)| a != b).take(3).collect();
    assert!(drift.is_empty(), "the generator and the database disagree: {drift:?}");

    // One connection throughout, so a leaked setting would show.
    let mut conn = pool.acquire().await.expect("connection");
    let product: Uuid =
        sqlx::query_scalar("select id from products where status = 'published' and certified_level is null limit 1")
            .fetch_one(&mut *conn)
            .await
            .expect("an uncertified product");
    type Current = (Option<String>, Option<chrono::DateTime<chrono::Utc>>);
    /// Grants `product` a certificate at `level`, `days_ago`; returns its id and expiry.
    async fn grant(
        conn: &mut sqlx::PgConnection,
        product: Uuid,
        level: &str,
        days_ago: i32,
    ) -> (Uuid, chrono::DateTime<chrono::Utc>) {
        let id = Uuid::new_v4();
        let until = sqlx::query_scalar(
            "insert into certifications (id, product_id, level, body, granted_at, expires_at)
             values ($1, $2, $3, 'Test Lab', now() - make_interval(days => $4), now() + interval '1 year')
             returning expires_at",
        )
        .bind(id)
        .bind(product)
        .bind(level)
        .bind(days_ago)
        .fetch_one(conn)
        .await
        .expect("grant");
        (id, until)
    }
    async fn read(conn: &mut sqlx::PgConnection, product: Uuid) -> Current {
        sqlx::query_as("select certified_level, certified_until from products where id = $1")
            .bind(product)
            .fetch_one(conn)
            .await
            .expect("product")
    }

    let mut bulk = sqlx::Connection::begin(&mut *conn).await.expect("begin");
    sqlx::query("set local openaero.bulk_load = 'on'").execute(&mut *bulk).await.expect("set");
    grant(&mut bulk, product, "basic", 2).await;
    assert_eq!(read(&mut bulk, product).await, (None, None), "a bulk load writes the columns itself");
    bulk.rollback().await.expect("rollback");

    let (basic, basic_until) = grant(&mut conn, product, "basic", 2).await;
    assert_eq!(read(&mut conn, product).await, (Some("basic".into()), Some(basic_until)));
    let (premium, premium_until) = grant(&mut conn, product, "premium", 1).await;
    assert_eq!(read(&mut conn, product).await, (Some("premium".into()), Some(premium_until)));
    sqlx::query("update certifications set revoked_at = now() where id = $1")
        .bind(premium)
        .execute(&mut *conn)
        .await
        .expect("revoke");
    assert_eq!(read(&mut conn, product).await, (Some("basic".into()), Some(basic_until)));
    sqlx::query("delete from certifications where id = $1").bind(basic).execute(&mut *conn).await.expect("delete");
    assert_eq!(read(&mut conn, product).await, (None, None));
}

#[tokio::test]
async fn hostile_or_broken_query_strings_get_a_clear_page_not_an_error() {
    let app = app_with_catalog().await;
    let long = "a".repeat(5000);
    let cases = [
        format!("/search?q={long}"),
        "/search?q=%27%20OR%201%3D1%20--".to_owned(),
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E".to_owned(),
        // The page title carries the query, and leptos_meta writes it unescaped.
        "/search?q=%3C%2Ftitle%3E%3Cscript%3Ealert(2)%3C%2Fscript%3E".to_owned(),
        "/search?q=%25%25%25%5F%5F".to_owned(),
        "/search?price_min=abc&price_max=-3".to_owned(),
        "/search?price_min=900&price_max=100".to_owned(),
        "/search?page=99999&sort=evil&cert=gold&weather=IP99".to_owned(),
        "/search?q=%E0%A4%A".to_owned(),
    ];
    for path in cases {
        // The second answer comes from the cache, fast enough for the title to be
        // written into the head: both must be safe.
        for _ in 0..2 {
            let r = app.get_page(&path).await;
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            let html = r.text().await.expect("body");
            assert!(!html.contains("<script>alert("), "{path}: query reflected unescaped");
        }
    }
    let html = app.get_html("/search?price_min=900&price_max=100").await;
    assert!(html.contains("The maximum is below the minimum"), "inverted range explained");
    let html = app.get_html("/search?price_min=abc").await;
    assert!(html.contains("Enter a whole number"), "bad number explained");
}

#[tokio::test]
async fn the_product_page_shows_certification_truthfully() {
    let app = app_with_catalog().await;
    let html = app.get_html("/p/kestrel-vtol").await;
    assert!(html.contains("<title>Kestrel Mapping VTOL · OpenAero</title>"), "title");
    assert!(html.contains(r#"property="og:title""#) && html.contains(r#""@type":"Product""#), "SEO tags");
    assert!(html.contains("Premium certified") && html.contains("Hover endurance") && html.contains("27.5 min"));
    assert!(html.contains("Northwind Aero"), "maker card");

    let expired = app.get_html("/p/osprey-thermal").await;
    let start = expired.find(r#"id="certification""#).expect("certification section");
    let section = &expired[start..start + expired[start..].find("</section>").expect("section end")];
    assert!(section.contains("This certificate expired on"), "expired certificate explained");
    assert!(!section.contains("Premium certified"), "an expired certificate is never shown as valid");
    let buy_box = &expired[expired.find("product-page__buy").expect("buy box")..start];
    assert!(!buy_box.contains("cert-badge"), "no badge next to the price either");

    let missing = app.get_page("/p/no-such-drone").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let missing_category = app.get_page("/c/no-such-category").await;
    assert_eq!(missing_category.status(), StatusCode::NOT_FOUND);
    let maker = app.get_html("/creators/yunyi-tech").await;
    assert!(maker.contains("云翼科技") && maker.contains("Swift Racing Quad"));
}

#[tokio::test]
async fn listing_pages_work_as_plain_links() {
    let app = app_with_catalog().await;
    let html = app.get_html("/c/mapping?in_stock=1").await;
    assert!(html.contains("Kestrel Mapping VTOL") && html.contains("Osprey Thermal Inspection Drone"));
    assert!(!html.contains("Swift Racing Quad"));
    // Facet links carry the current filters, so following one narrows the view.
    assert!(html.contains("href=\"/c/mapping?weather=IP54&amp;in_stock=1\""), "facet link keeps filters");
    let zh = app.client.get(app.url("/search?q=航拍")).header("accept-language", "zh-CN").send().await.expect("zh");
    let zh = zh.text().await.expect("body");
    assert!(zh.contains("苍鹭 专业航拍无人机"), "Chinese names on a Chinese page");
}

#[tokio::test]
async fn autocomplete_suggests_products_categories_and_makers() {
    let app = app_with_catalog().await;
    let r = app.client.get(app.url("/api/shop/autocomplete?q=nor&locale=en")).send().await.expect("autocomplete");
    assert_eq!(r.status(), StatusCode::OK);
    let suggestions: Vec<types::search::Suggestion> = r.json().await.expect("json");
    assert!(suggestions.iter().any(|s| s.href == "/creators/northwind-aero"), "{suggestions:?}");
    let products = domain::search::autocomplete(&app.services.pool, "kes", Locale::En).await.expect("kes");
    assert_eq!(products[0].href, "/p/kestrel-vtol");
    let zh = domain::search::autocomplete(&app.services.pool, "测绘", Locale::Zh).await.expect("zh");
    assert!(zh.iter().any(|s| s.label == "测绘"), "{zh:?}");
    let zh_product = domain::search::autocomplete(&app.services.pool, "红隼", Locale::Zh).await.expect("zh");
    assert_eq!(zh_product[0].href, "/p/kestrel-vtol");
    // A prefix matches itself, not its neighbours in the alphabet.
    let next = domain::search::autocomplete(&app.services.pool, "kestrem", Locale::En).await.expect("kestrem");
    assert!(next.is_empty(), "{next:?}");
}

/// A prepared statement runs a generic plan after its fifth use; the product
/// suggestions must read the prefix index in that plan too (a `like $1` there read
/// every product: seconds per keystroke at a million).
#[tokio::test]
async fn autocomplete_reads_the_prefix_index_whatever_the_plan() {
    let app = app_with_catalog().await;
    let mut conn = app.services.pool.acquire().await.expect("connection");
    for setting in ["set plan_cache_mode = force_generic_plan", "set enable_seqscan = off"] {
        sqlx::query(setting).execute(&mut *conn).await.expect("setting");
    }
    for (sql, index) in [
        (domain::search::PRODUCTS_BY_EN_PREFIX, "products_name_en_prefix_idx"),
        (domain::search::PRODUCTS_BY_ZH_PREFIX, "products_name_zh_prefix_idx"),
    ] {
        sqlx::query(&format!("prepare suggest(text, text) as {sql}")).execute(&mut *conn).await.expect("prepare");
        let plan: Vec<String> = sqlx::query_scalar("explain execute suggest('kes', 'kes' || chr(1114111))")
            .fetch_all(&mut *conn)
            .await
            .expect("explain");
        sqlx::query("deallocate suggest").execute(&mut *conn).await.expect("deallocate");
        let plan = plan.join("\n");
        assert!(plan.contains(&format!("Index Scan using {index}")), "{plan}");
        assert!(plan.contains("Index Cond") && !plan.contains("Sort"), "{plan}");
    }
    for setting in ["reset plan_cache_mode", "reset enable_seqscan"] {
        sqlx::query(setting).execute(&mut *conn).await.expect("reset");
    }
}

#[tokio::test]
async fn generated_pictures_are_served_and_cached_and_tricks_are_refused() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/media/art/vtol/120/1.svg")).send().await.expect("svg");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert!(r.headers()["cache-control"].to_str().expect("header").contains("immutable"));
    for bad in ["/media/art/vtol/999/1.svg", "/media/art/../../etc/passwd", "/media/art/quad/1/1.svg.png"] {
        let r = app.client.get(app.url(bad)).send().await.expect("bad");
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn the_database_refuses_impossible_catalog_values() {
    let app = app_with_catalog().await;
    let pool = &app.services.pool;
    for (sql, constraint) in [
        ("update products set price_minor = -1 where slug = 'heron-camera'", "products_price_check"),
        ("update products set stock_reserved = -1 where slug = 'heron-camera'", "products_stock_check"),
        ("update products set specs = '{\"weight_g\": -5}' where slug = 'heron-camera'", "products_specs_check"),
        ("update products set specs = '{\"range_m\": \"far\"}' where slug = 'heron-camera'", "products_specs_check"),
        ("update products set stock_reserved = 100 where slug = 'heron-camera'", "products_reserved_check"),
        ("update certifications set expires_at = granted_at - interval '1 day'", "certifications_dates_check"),
        ("update products set ip_rating = 'IP9' where slug = 'heron-camera'", "products_ip_rating_check"),
    ] {
        let err = sqlx::query(sql).execute(pool).await.expect_err(sql);
        let db = err.as_database_error().expect("database error");
        assert_eq!(db.constraint(), Some(constraint), "{sql}");
    }
    let third_level = sqlx::query(
        "insert into categories (id, parent_id, level, slug, name_en, name_zh)
         values (gen_random_uuid(), (select id from categories where slug = 'mapping'), 2, 'too-deep', 'x', 'x')",
    )
    .execute(pool)
    .await;
    assert!(third_level.is_err(), "a third category level must be refused");
}

#[tokio::test]
async fn a_price_change_reaches_the_cached_pages_of_every_instance_within_two_seconds() {
    let first = app_with_catalog().await;
    let second = crate::helpers::spawn_app_on(&first.database_url, &[]).await;
    // Warm both instances' caches.
    for app in [&first, &second] {
        let html = app.get_html("/p/heron-camera").await;
        assert!(html.contains("$899.00"), "starting price");
    }
    reprice(&first.services.pool, "heron-camera", 79_900, 3).await.expect("reprice");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    for app in [&first, &second] {
        loop {
            let html = app.get_html("/p/heron-camera").await;
            if html.contains("$799.00") && html.contains("Only 3 left") {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "an instance still shows the old price after 2 s");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    let search = second.get_html("/search?q=heron").await;
    assert!(search.contains("$799.00"), "cached search results follow too");
}

/// Renames a product, or takes it off sale, the way the product editor will: the
/// row, its search document and the event in one transaction.
async fn change_product(pool: &PgPool, slug: &str, change: &str) {
    let mut tx = pool.begin().await.expect("tx");
    let id: Uuid = sqlx::query_scalar(&format!("update products set {change} where slug = $1 returning id"))
        .bind(slug)
        .fetch_one(&mut *tx)
        .await
        .expect("change");
    domain::search::document::refresh(&mut tx, id).await.expect("document");
    let event = domain::events::NewEvent {
        event_type: domain::events::EventType::ProductUpdated,
        aggregate_type: "product",
        aggregate_id: id.to_string(),
        aggregate_version: 2,
        data: serde_json::json!({}),
    };
    domain::events::publish(&mut tx, event, &Default::default()).await.expect("event");
    tx.commit().await.expect("commit");
}

/// Polls `path` on an instance until `done` holds of the page, for at most 2 s.
pub(crate) async fn within_two_seconds(app: &TestApp, path: &str, what: &str, done: impl Fn(&str) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        if done(&app.get_html(path).await) {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "{what}: {path} not updated after 2 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn every_instance_index_follows_product_changes_within_two_seconds() {
    let first = app_with_catalog().await;
    let second = crate::helpers::spawn_app_on(&first.database_url, &[]).await;
    wait_for_index(&second).await;
    for app in [&first, &second] {
        assert!(app.get_html("/search?q=heron").await.contains("Heron Camera Drone"));
        assert!(!app.get_html("/search?q=zephyr").await.contains("Heron"));
    }

    change_product(&first.services.pool, "heron-camera", "name_en = 'Heron Zephyr Camera Drone'").await;
    for app in [&first, &second] {
        within_two_seconds(app, "/search?q=zephyr", "renamed product", |html| html.contains("Heron Zephyr")).await;
    }

    // A change that leaves the words alone moves the product between facet values.
    reprice(&first.services.pool, "heron-camera", 5_000, 0).await.expect("reprice");
    for app in [&first, &second] {
        within_two_seconds(app, "/search?price_max=99&in_stock=1", "sold out", |html| !html.contains("Heron")).await;
        within_two_seconds(app, "/search?price_max=99", "repriced", |html| html.contains("Heron Zephyr")).await;
    }

    change_product(&first.services.pool, "heron-camera", "status = 'archived'").await;
    for app in [&first, &second] {
        within_two_seconds(app, "/search?q=heron", "archived", |html| !html.contains("Heron Zephyr")).await;
    }
    assert!(first.services.search.is_ready() && second.services.search.is_ready());
}

#[tokio::test]
async fn spec_sheets_are_pdfs_that_tell_the_certificate_truthfully() {
    let app = app_with_catalog().await;
    let sheet = |slug: &str| app.client.get(app.url(&format!("/media/spec-sheets/{slug}.pdf"))).send();
    let valid = sheet("kestrel-vtol").await.expect("sheet");
    assert_eq!(valid.status(), StatusCode::OK);
    assert_eq!(valid.headers()["content-type"], "application/pdf");
    let body = valid.bytes().await.expect("body");
    let text = String::from_utf8_lossy(&body);
    assert!(text.starts_with("%PDF-1.4") && text.ends_with("%%EOF\n"));
    for expected in ["(Kestrel Mapping VTOL)", "(premium \\(valid\\))", "(90 min)", "(40 km)", "(IP54)"] {
        assert!(text.contains(expected), "{expected} missing from the sheet");
    }
    let expired = String::from_utf8_lossy(&sheet("osprey-thermal").await.expect("sheet").bytes().await.expect("body"))
        .into_owned();
    assert!(expired.contains("EXPIRED - no longer valid") && !expired.contains("(premium \\(valid\\))"));
    assert_eq!(sheet("no-such-drone").await.expect("sheet").status(), StatusCode::NOT_FOUND);
    assert_eq!(sheet("kestrel-vtol.txt").await.expect("sheet").status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn stock_below_what_is_reserved_is_refused() {
    let app = app_with_catalog().await;
    sqlx::query("update products set stock_reserved = 3 where slug = 'kestrel-vtol'")
        .execute(&app.services.pool)
        .await
        .expect("reserve");
    let err = reprice(&app.services.pool, "kestrel-vtol", 100, 2).await.expect_err("below reserved");
    assert!(matches!(err, domain::Error::Validation(ref f) if f[0].field == "stock"), "{err:?}");
}

#[tokio::test]
async fn anonymous_storefront_pages_revalidate_with_etags() {
    let app = app_with_catalog().await;
    let first = app.client.get(app.url("/p/heron-camera")).send().await.expect("page");
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()["etag"].clone();
    assert!(first.headers()["cache-control"].to_str().expect("header").starts_with("public"));
    let again = app.client.get(app.url("/p/heron-camera")).header("if-none-match", &etag).send().await.expect("again");
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.text().await.expect("body").is_empty());

    // A logged search is never shared.
    let search = app.client.get(app.url("/search?q=heron")).send().await.expect("search");
    assert_eq!(search.headers()["cache-control"], "private, no-cache");
    // Suggestions are the same for everyone who typed the same letters.
    let suggestions = app.client.get(app.url("/api/shop/autocomplete?q=kes&locale=en")).send().await.expect("typing");
    assert_eq!(suggestions.headers()["cache-control"], "public, max-age=60");

    // Pages are rendered once and kept, per language: a visitor reading Chinese never
    // gets the English page someone else was shown, nor the other way round.
    for _ in 0..2 {
        for (language, expected, other) in
            [("zh-CN,zh;q=0.9", "红隼", "Kestrel Mapping VTOL"), ("en", "Kestrel Mapping VTOL", "红隼")]
        {
            let html = app
                .client
                .get(app.url("/p/kestrel-vtol"))
                .header("accept-language", language)
                .send()
                .await
                .expect("page")
                .text()
                .await
                .expect("html");
            assert!(html.contains(&format!("product-page__name\">{expected}")), "{language}");
            assert!(!html.contains(&format!("product-page__name\">{other}")), "{language}");
        }
    }

    // Signed-in pages carry no shared validators.
    app.verified_user("Casey", "casey@example.test").await;
    app.login("casey@example.test", crate::helpers::PASSWORD).await;
    let mine = app.client.get(app.url("/p/heron-camera")).send().await.expect("signed in");
    assert!(mine.headers().get("etag").is_none());
}

/// Sets a product's price and stock as its maker would.
async fn reprice(pool: &PgPool, slug: &str, price_minor: i64, stock: i32) -> domain::Result<()> {
    let (id, owner): (Uuid, Uuid) = sqlx::query_as(
        "select p.id, c.user_id from products p join creators c on c.id = p.creator_id where p.slug = $1",
    )
    .bind(slug)
    .fetch_one(pool)
    .await
    .expect("product");
    let change = domain::catalog::inventory::Change { price_minor: Some(price_minor), stock: Some(stock) };
    domain::catalog::inventory::change(pool, UserId(owner), ProductId(id), change, None, &Default::default())
        .await
        .map(drop)
}
