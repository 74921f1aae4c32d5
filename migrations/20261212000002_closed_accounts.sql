-- When a person closed their account: the row stays (orders and ratings point at it)
-- with what named them erased.
alter table users add column closed_at timestamptz;
