-- A maker's figures read their products' days: by product first, so a maker with a
-- hundred products reads their rows, not the whole period's (bench/README.md).
create index analytics_product_daily_product_idx on analytics_product_daily (product_id, day);
