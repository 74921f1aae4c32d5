-- A bulk load (the catalog generator) writes products.certified_level and
-- certified_until itself, in the same statement that inserts the product, with the
-- rule refresh_product_certification() applies. Refreshing the product once per
-- certificate row as well re-wrote, and re-indexed in every index (the full-text
-- index included), the row of every certified product: a 1,000,000-product load was
-- projected at ~50 minutes.
--
-- A transaction that runs `set local openaero.bulk_load = 'on'` takes that job over
-- and the trigger leaves the product alone. `set local` ends with the transaction, so
-- the setting cannot leak into other work on a pooled connection. Without it the
-- trigger behaves exactly as before.

create or replace function certifications_changed() returns trigger
language plpgsql
as $$
begin
    if current_setting('openaero.bulk_load', true) = 'on' then
        return null;
    end if;
    if tg_op in ('UPDATE', 'DELETE') then
        perform refresh_product_certification(old.product_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform refresh_product_certification(new.product_id);
    end if;
    return null;
end;
$$;
