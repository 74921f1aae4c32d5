-- The console's reports (issue 20): shoppers follow signed-in visitors across days,
-- and "a paid order" has one definition, the ledger's.
create index analytics_visits_user_idx on analytics_visits (user_id, day) where user_id is not null;

-- The order groups whose payment the ledger booked from `first` to `last` (UTC days,
-- both included), with the day it was booked.
create function paid_orders(first date, last date)
returns table (group_id uuid, customer_id uuid, paid_on date)
language sql stable as $$
    select g.id, g.customer_id, (t.created_at at time zone 'UTC')::date
    from ledger_transactions t
    join order_groups g on g.checkout_id = substr(t.reference, length('payment:') + 1)::uuid
    where t.kind = 'payment'
      and t.created_at >= first::timestamp at time zone 'UTC'
      and t.created_at < (last + 1)::timestamp at time zone 'UTC'
$$;

create index ledger_transactions_created_idx on ledger_transactions (created_at);
