-- A product's measured specifications move from one column each into one JSON object
-- keyed by the specification's name (`types::specs`), so a new specification is a
-- row in that table and not a column, a constraint and every query that lists them.
-- The editor checks each against its bounds in that table; the database keeps any
-- write to whole, non-negative numbers.
alter table products add column specs jsonb not null default '{}'
    constraint products_specs_check check (
        jsonb_typeof(specs) = 'object'
        and not jsonb_path_exists(specs, '$.* ? (@.type() != "number" || @ < 0 || @ != @.floor())'));

update products set specs = jsonb_strip_nulls(jsonb_build_object(
    'length_mm', length_mm, 'width_mm', width_mm, 'height_mm', height_mm, 'weight_g', weight_g,
    'flight_time_min', flight_time_min, 'range_m', range_m, 'payload_g', payload_g));

alter table products
    drop column length_mm, drop column width_mm, drop column height_mm, drop column weight_g,
    drop column flight_time_min, drop column range_m, drop column payload_g;

-- Pending revisions hold the editor's checked draft: the same move inside their JSON.
update product_revisions set data = (data - array['length_mm', 'width_mm', 'height_mm', 'weight_g',
        'flight_time_min', 'range_m', 'payload_g'])
    || jsonb_build_object('measures', jsonb_strip_nulls(jsonb_build_object(
        'length_mm', data->'length_mm', 'width_mm', data->'width_mm', 'height_mm', data->'height_mm',
        'weight_g', data->'weight_g', 'flight_time_min', data->'flight_time_min', 'range_m', data->'range_m',
        'payload_g', data->'payload_g')));

-- Review snapshots name each specification by its key now; renamed so a product's
-- next submission compares with its last approved one row for row.
update review_items set snapshot = (
    select jsonb_agg(case e->>0
            when 'weight' then jsonb_build_array('weight_g', e->1)
            when 'flight_time' then jsonb_build_array('flight_time_min', e->1)
            when 'range' then jsonb_build_array('range_m', e->1)
            when 'payload' then jsonb_build_array('payload_g', e->1)
            else e end order by position)
    from jsonb_array_elements(snapshot) with ordinality as pairs(e, position))
where kind = 'product_submission' and jsonb_array_length(snapshot) > 0;
