-- A page of results is computed once and may be served to many visitors from a
-- cache: each serve is a row, and the page's links carry the page's id, so a click
-- marks the latest search of that page that no click has marked yet.
alter table search_log add column page_id uuid;
update search_log set page_id = id;
alter table search_log alter column page_id set not null;
create index search_log_unclicked_page_idx on search_log (page_id) where clicked_at is null;
