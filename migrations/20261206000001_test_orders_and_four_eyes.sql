-- Orders paid through the payment sandbox moved no real money. They stay marked as
-- such, in the console and the books, even after a deployment starts taking real money.
alter table order_groups add column is_test boolean not null default false;

-- Four eyes: whether `person` has a stake in review item `item` (the maker whose shop
-- it concerns, or the customer who wrote the rating it is). Such a person never claims
-- or decides it. One definition, read by the queue, the item page and the decision.
create function review_is_own_case(item uuid, person uuid) returns boolean
language sql stable as $$
    select exists (
        select 1
        from review_items i join creators c on c.id = i.creator_id
        where i.id = item
          and (c.user_id = person
               or (i.kind = 'rating'
                   and exists (select 1 from ratings r where r.id = i.subject_id and r.customer_id = person))))
$$;
