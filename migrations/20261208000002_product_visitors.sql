-- Visitors per product and day (issue 20 §1 and §3). Visitor hashes rotate daily, so
-- a product's visitors over a period are the sum of its days', like the store's.
-- Who saw what is kept only as long as a day can still be written to (the partition
-- maintenance deletes older days); the counts are kept for good.
create table analytics_product_visitors (
    day date not null,
    product_id uuid not null,
    visitor bytea not null,
    primary key (day, product_id, visitor)
);

create table analytics_product_day_visitors (
    product_id uuid not null,
    day date not null,
    visitors integer not null,
    primary key (product_id, day)
);
