-- Orders paid through the payment sandbox moved no real money. They stay marked as
-- such, in the console and the books, even after a deployment starts taking real money.
alter table order_groups add column is_test boolean not null default false;
