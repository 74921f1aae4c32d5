-- The storefront catalog: creators' public side, categories, products with their
-- specifications, media and certifications, and the search log.

create extension if not exists pg_trgm;

-- The public side of a seller. Verification documents, tax id and the application
-- flow come with the creator portal; this is what the storefront shows.
create table creators (
    id uuid primary key,
    user_id uuid not null references users (id) on delete restrict,
    slug text not null,
    display_name text not null,
    kind text not null,
    status text not null default 'unverified',
    bio_en text not null default '',
    bio_zh text not null default '',
    location text not null default '',
    website text not null default '',
    -- Basis points of the sale the platform keeps; null means the platform default.
    commission_bps integer,
    verified_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint creators_user_id_key unique (user_id),
    constraint creators_slug_key unique (slug),
    constraint creators_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    constraint creators_display_name_not_blank check (length(btrim(display_name)) > 0),
    constraint creators_kind_check check (kind in ('individual', 'company', 'organisation')),
    constraint creators_status_check check (status in ('unverified', 'pending', 'verified', 'rejected')),
    constraint creators_verified_at_check check ((status = 'verified') = (verified_at is not null)),
    constraint creators_commission_bps_check check (commission_bps between 0 and 10000)
);

-- Two levels: a top-level category (level 1) and its subcategories (level 2). The
-- composite foreign key makes the database refuse a third level.
create table categories (
    id uuid primary key,
    parent_id uuid,
    level smallint not null,
    parent_level smallint generated always as (case when parent_id is null then null else 1 end) stored,
    slug text not null,
    name_en text not null,
    name_zh text not null,
    description_en text not null default '',
    description_zh text not null default '',
    position integer not null default 0,
    constraint categories_slug_key unique (slug),
    constraint categories_id_level_key unique (id, level),
    constraint categories_parent_fkey foreign key (parent_id, parent_level) references categories (id, level),
    constraint categories_level_check check ((parent_id is null and level = 1) or (parent_id is not null and level = 2)),
    constraint categories_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);

create table products (
    id uuid primary key,
    creator_id uuid not null references creators (id) on delete restrict,
    category_id uuid not null references categories (id) on delete restrict,
    slug text not null,
    status text not null default 'draft',
    name_en text not null,
    name_zh text not null,
    summary_en text not null default '',
    summary_zh text not null default '',
    description_en text not null default '',
    description_zh text not null default '',
    price_minor bigint not null,
    currency text not null default 'USD',
    stock_on_hand integer not null default 0,
    stock_reserved integer not null default 0,
    -- Specifications. Null where a spec does not apply (a controller has no flight time).
    length_mm integer,
    width_mm integer,
    height_mm integer,
    weight_g integer,
    flight_time_min integer,
    range_m integer,
    payload_g integer,
    ip_rating text,
    compatibility text[] not null default '{}',
    features text[] not null default '{}',
    tags text[] not null default '{}',
    -- Words for full-text search, weighted A (names) to D (descriptions). Written by
    -- the application, which segments Chinese text before PostgreSQL sees it.
    search_document tsvector not null default ''::tsvector,
    version integer not null default 1,
    published_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint products_slug_key unique (slug),
    constraint products_slug_format check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    constraint products_status_check
        check (status in ('draft', 'submitted', 'under_review', 'published', 'rejected', 'archived')),
    constraint products_published_at_check check (status <> 'published' or published_at is not null),
    constraint products_name_en_not_blank check (length(btrim(name_en)) > 0),
    constraint products_name_zh_not_blank check (length(btrim(name_zh)) > 0),
    constraint products_price_check check (price_minor >= 0),
    constraint products_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint products_stock_check check (stock_on_hand >= 0 and stock_reserved >= 0),
    constraint products_reserved_check check (stock_reserved <= stock_on_hand),
    constraint products_dimensions_check check (length_mm > 0 and width_mm > 0 and height_mm > 0),
    constraint products_weight_check check (weight_g > 0),
    constraint products_flight_time_check check (flight_time_min >= 0),
    constraint products_range_check check (range_m >= 0),
    constraint products_payload_check check (payload_g >= 0),
    constraint products_ip_rating_check check (ip_rating ~ '^IP[0-6X][0-9X]$'),
    constraint products_version_check check (version > 0)
);

create index products_creator_idx on products (creator_id);
create index products_category_idx on products (category_id) where status = 'published';
create index products_published_idx on products (published_at desc) where status = 'published';
create index products_price_idx on products (price_minor) where status = 'published';
create index products_search_idx on products using gin (search_document);
create index products_name_en_trgm_idx on products using gin (name_en gin_trgm_ops);

create table product_media (
    id uuid primary key,
    product_id uuid not null references products (id) on delete cascade,
    kind text not null,
    position integer not null,
    -- Where the browser fetches it; uploaded files get a file id with the files domain.
    url text not null,
    alt_en text not null default '',
    alt_zh text not null default '',
    width integer,
    height integer,
    constraint product_media_kind_check check (kind in ('image', 'video', 'document')),
    constraint product_media_position_key unique (product_id, position) deferrable initially deferred,
    constraint product_media_size_check check (width > 0 and height > 0)
);

-- A certification granted to a product. A product may have had several over time;
-- the storefront shows the newest that is neither revoked nor expired.
create table certifications (
    id uuid primary key,
    product_id uuid not null references products (id) on delete cascade,
    level text not null,
    body text not null,
    granted_at timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz,
    granted_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    constraint certifications_level_check check (level in ('basic', 'standard', 'premium')),
    constraint certifications_body_not_blank check (length(btrim(body)) > 0),
    constraint certifications_dates_check check (expires_at > granted_at)
);

create index certifications_product_idx on certifications (product_id, granted_at desc);

create table certification_tests (
    id uuid primary key,
    certification_id uuid not null references certifications (id) on delete cascade,
    position integer not null,
    test_name text not null,
    metric text not null,
    value numeric not null,
    unit text not null,
    passed boolean not null,
    tested_at timestamptz not null,
    constraint certification_tests_position_key unique (certification_id, position)
);

-- Every storefront search, for popular, trending and zero-result reports.
create table search_log (
    id uuid primary key,
    query text not null,
    filters jsonb not null default '{}',
    result_count integer not null,
    locale text not null,
    user_id uuid references users (id) on delete set null,
    clicked_product_id uuid references products (id) on delete set null,
    clicked_at timestamptz,
    created_at timestamptz not null default now(),
    constraint search_log_result_count_check check (result_count >= 0)
);

create index search_log_created_idx on search_log (created_at desc);

-- Known words for "did you mean": names, tags, categories, creators and features,
-- lower-cased, as people type them (not stemmed).
create table search_terms (
    term text primary key,
    weight integer not null default 1
);

create index search_terms_trgm_idx on search_terms using gin (term gin_trgm_ops);

-- The one definition of a product's search document, used by every writer (the
-- product editor, the seed loader, the rebuild command). Chinese arrives already
-- segmented into space-separated words by the application.
create function catalog_search_document(names text, labels text, specs text, body text)
returns tsvector
language sql immutable parallel safe
return setweight(to_tsvector('english', coalesce(names, '')), 'A')
    || setweight(to_tsvector('english', coalesce(labels, '')), 'B')
    || setweight(to_tsvector('english', coalesce(specs, '')), 'C')
    || setweight(to_tsvector('english', coalesce(body, '')), 'D');

-- The level of the newest certificate that is valid at this moment, or null. Read at
-- query time so an expiry takes effect without anyone acting.
create function current_certification_level(product uuid)
returns text
language sql stable parallel safe
return (
    select level from certifications
    where product_id = product and revoked_at is null and granted_at <= now() and expires_at > now()
    order by granted_at desc
    limit 1
);
