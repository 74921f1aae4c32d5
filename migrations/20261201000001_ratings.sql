-- Customers' ratings: of each product they received (one per order line) and of
-- the maker who sent it (one per sub-order). Every rating is moderated in the
-- review queue; only approved ones are public and count.
create table ratings (
    id uuid primary key,
    sub_order_id uuid not null references sub_orders (id) on delete restrict,
    -- Null when the rating is of the maker.
    product_id uuid references products (id) on delete restrict,
    creator_id uuid not null references creators (id) on delete restrict,
    customer_id uuid not null references users (id) on delete cascade,
    stars smallint not null,
    body text not null,
    status text not null default 'pending',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    -- When it was last approved: the date the store shows.
    approved_at timestamptz,
    -- A product rating is of a line of its sub-order (match simple: a maker rating,
    -- whose product is null, is not checked against the lines).
    constraint ratings_line_fkey foreign key (sub_order_id, product_id)
        references order_lines (sub_order_id, product_id) on delete restrict,
    constraint ratings_stars_check check (stars between 1 and 5),
    constraint ratings_body_check check (length(btrim(body)) between 1 and 2000),
    constraint ratings_status_check check (status in ('pending', 'approved', 'rejected', 'changes_requested')),
    constraint ratings_approved_check check ((status = 'approved') = (approved_at is not null))
);

-- Once per order line, once per sub-order for the maker.
create unique index ratings_one_per_line_idx on ratings (sub_order_id, product_id) where product_id is not null;
create unique index ratings_one_per_maker_idx on ratings (sub_order_id) where product_id is null;
-- What the store lists and averages.
create index ratings_product_public_idx on ratings (product_id, approved_at desc) where status = 'approved';
create index ratings_maker_public_idx on ratings (creator_id, approved_at desc)
    where status = 'approved' and product_id is null;

-- The averages the store sorts and filters by, derived from the approved ratings and
-- recomputed from them in the transaction that approves one.
alter table products
    add column rating_count integer not null default 0,
    add column rating_hundredths smallint,
    add constraint products_rating_check check ((rating_count = 0) = (rating_hundredths is null));
alter table creators
    add column rating_count integer not null default 0,
    add column rating_hundredths smallint,
    add constraint creators_rating_check check ((rating_count = 0) = (rating_hundredths is null));

alter table review_items drop constraint review_items_kind_check;
alter table review_items add constraint review_items_kind_check
    check (kind in ('creator_verification', 'product_submission', 'portfolio_item', 'certification_application', 'rating'));
