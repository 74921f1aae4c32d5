-- Checkout, orders, payments and the ledger. Money is integer minor units of one
-- currency per order group; a correction is always a new row, never an edit.

-- Saved shipping addresses, kept in the customer's profile.
create table addresses (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    full_name text not null,
    line1 text not null,
    line2 text not null default '',
    city text not null,
    region text not null default '',
    postal_code text not null,
    country text not null,
    phone text not null default '',
    created_at timestamptz not null default now(),
    constraint addresses_country_check check (country ~ '^[A-Z]{2}$')
);

create index addresses_user_idx on addresses (user_id, created_at);

-- A platform rate per category, between the creator's own rate (which wins) and the
-- platform default (configuration).
create table category_commission_rates (
    category_id uuid primary key references categories (id) on delete cascade,
    commission_bps integer not null,
    constraint category_commission_rates_bps_check check (commission_bps between 0 and 10000)
);

-- Human order numbers: OA-100001, OA-100002, ...; sub-orders add -1, -2, ...
create sequence order_numbers start with 100001;

-- One checkout: the saga that reserves stock, makes the orders, takes the payment and
-- confirms. `state` is where it stands; `checkout_steps` is every step it took. A
-- worker that holds the lease advances it; anyone may take over once the lease ran
-- out (a crashed instance), resuming or compensating from the recorded state.
create table checkouts (
    id uuid primary key,
    user_id uuid not null references users (id) on delete restrict,
    -- From the cart the customer reviewed: one key, one checkout, however many submits.
    idempotency_key uuid not null,
    state text not null,
    failure text,
    currency text not null,
    total_minor bigint not null,
    card_brand text,
    card_last4 text,
    lease_until timestamptz not null,
    -- When an unpaid reservation gives the stock back.
    expires_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint checkouts_key unique (user_id, idempotency_key),
    constraint checkouts_state_check check (state in (
        'reserved', 'authorizing', 'awaiting_confirmation', 'authorized', 'capturing',
        'compensating', 'completed', 'failed')),
    constraint checkouts_failure_check check ((state = 'failed') = (failure is not null) or state = 'compensating'),
    constraint checkouts_total_check check (total_minor > 0)
);

-- One checkout at a time per customer: a second tab waits for the first.
create unique index checkouts_one_active_idx on checkouts (user_id) where state not in ('completed', 'failed');
create index checkouts_open_idx on checkouts (lease_until) where state not in ('completed', 'failed');

create table checkout_steps (
    checkout_id uuid not null references checkouts (id) on delete cascade,
    seq integer not null,
    state text not null,
    detail jsonb not null default '{}',
    at timestamptz not null default now(),
    primary key (checkout_id, seq)
);

-- What a checkout holds in reserve; released or committed exactly once, with the
-- checkout's move to a final state.
create table checkout_lines (
    checkout_id uuid not null references checkouts (id) on delete cascade,
    product_id uuid not null references products (id) on delete restrict,
    quantity integer not null,
    primary key (checkout_id, product_id),
    constraint checkout_lines_quantity_check check (quantity > 0)
);

create table order_groups (
    id uuid primary key,
    number text not null,
    customer_id uuid not null references users (id) on delete restrict,
    checkout_id uuid not null references checkouts (id) on delete restrict,
    currency text not null,
    total_minor bigint not null,
    -- The address as it was when ordered; editing a saved address later changes nothing here.
    ship_to jsonb not null,
    created_at timestamptz not null default now(),
    constraint order_groups_number_key unique (number),
    constraint order_groups_checkout_key unique (checkout_id)
);

create index order_groups_customer_idx on order_groups (customer_id, created_at desc);

create table sub_orders (
    id uuid primary key,
    group_id uuid not null references order_groups (id) on delete restrict,
    number text not null,
    creator_id uuid not null references creators (id) on delete restrict,
    status text not null,
    subtotal_minor bigint not null,
    commission_minor bigint not null,
    carrier text,
    tracking_number text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint sub_orders_number_key unique (number),
    constraint sub_orders_status_check check (status in (
        'pending_payment', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded', 'partially_refunded')),
    constraint sub_orders_amounts_check check (subtotal_minor > 0 and commission_minor between 0 and subtotal_minor)
);

create index sub_orders_group_idx on sub_orders (group_id);
create index sub_orders_creator_idx on sub_orders (creator_id, created_at desc);
create index sub_orders_status_idx on sub_orders (status, created_at desc);

create table order_lines (
    sub_order_id uuid not null references sub_orders (id) on delete restrict,
    product_id uuid not null references products (id) on delete restrict,
    -- As sold: a later rename or price change does not rewrite history.
    product_name text not null,
    product_slug text not null,
    quantity integer not null,
    unit_price_minor bigint not null,
    commission_bps integer not null,
    commission_minor bigint not null,
    primary key (sub_order_id, product_id),
    constraint order_lines_quantity_check check (quantity > 0),
    constraint order_lines_price_check check (unit_price_minor > 0)
);

-- Every status change of a sub-order, for the timelines customers, creators and
-- admins see.
create table sub_order_history (
    id bigserial primary key,
    sub_order_id uuid not null references sub_orders (id) on delete restrict,
    status text not null,
    actor_id uuid references users (id) on delete set null,
    note text not null default '',
    at timestamptz not null default now()
);

create index sub_order_history_idx on sub_order_history (sub_order_id, id);

-- One payment per checkout, as the provider knows it.
create table payments (
    id uuid primary key,
    checkout_id uuid not null references checkouts (id) on delete restrict,
    provider text not null,
    reference text,
    status text not null,
    amount_minor bigint not null,
    currency text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint payments_checkout_key unique (checkout_id),
    constraint payments_reference_key unique (provider, reference),
    constraint payments_status_check check (status in ('pending', 'authorized', 'captured', 'voided', 'failed'))
);

create table refunds (
    id uuid primary key,
    payment_id uuid not null references payments (id) on delete restrict,
    sub_order_id uuid not null references sub_orders (id) on delete restrict,
    amount_minor bigint not null,
    reason text not null,
    actor_id uuid references users (id) on delete set null,
    provider_reference text not null,
    created_at timestamptz not null default now(),
    constraint refunds_amount_check check (amount_minor > 0)
);

create index refunds_sub_order_idx on refunds (sub_order_id);

-- Provider webhooks already handled: a replay finds its id here and changes nothing.
create table payment_webhooks (
    provider text not null,
    event_id text not null,
    event_type text not null,
    received_at timestamptz not null default now(),
    primary key (provider, event_id)
);

-- The double-entry ledger. A transaction's entries sum to zero per currency
-- (checked when the transaction commits) and nothing here is ever updated or
-- deleted. Amounts are signed: positive debits, negative credits.
create table ledger_transactions (
    id uuid primary key,
    kind text not null,
    -- What it records, once: 'payment:<checkout>', 'refund:<refund>', ...
    reference text not null,
    memo text not null default '',
    reverses uuid references ledger_transactions (id),
    created_at timestamptz not null default now(),
    constraint ledger_transactions_reference_key unique (reference),
    constraint ledger_transactions_kind_check check (kind in (
        'payment', 'refund', 'release', 'payout_requested', 'payout_rejected', 'payout_approved', 'payout_paid',
        'reversal'))
);

create table ledger_entries (
    id bigserial primary key,
    transaction_id uuid not null references ledger_transactions (id),
    account text not null,
    -- Set for a creator's own accounts.
    creator_id uuid references creators (id),
    -- The sub-order an entry is about, for per-order reports.
    sub_order_id uuid references sub_orders (id),
    amount_minor bigint not null,
    currency text not null,
    constraint ledger_entries_account_check check (account in (
        'cash', 'commission', 'creator_pending', 'creator_available', 'creator_payout')),
    constraint ledger_entries_owner_check check ((account like 'creator\_%') = (creator_id is not null)),
    constraint ledger_entries_amount_check check (amount_minor <> 0)
);

create index ledger_entries_transaction_idx on ledger_entries (transaction_id);
create index ledger_entries_creator_idx on ledger_entries (creator_id, account) where creator_id is not null;
create index ledger_entries_sub_order_idx on ledger_entries (sub_order_id) where sub_order_id is not null;

create function ledger_transaction_balances() returns trigger language plpgsql as $$
declare
    unbalanced text;
    entries integer;
begin
    select count(*) into entries from ledger_entries where transaction_id = new.transaction_id;
    if entries < 2 then
        raise exception 'ledger transaction % has % entries; at least two are needed', new.transaction_id, entries
            using errcode = 'check_violation', constraint = 'ledger_transaction_balanced';
    end if;
    select string_agg(currency || ' ' || total, ', ') into unbalanced
    from (select currency, sum(amount_minor) as total from ledger_entries
          where transaction_id = new.transaction_id group by currency having sum(amount_minor) <> 0) t;
    if unbalanced is not null then
        raise exception 'ledger transaction % does not balance: %', new.transaction_id, unbalanced
            using errcode = 'check_violation', constraint = 'ledger_transaction_balanced';
    end if;
    return null;
end;
$$;

-- Checked at commit, when every entry of the transaction is in.
create constraint trigger ledger_transaction_balanced
    after insert on ledger_entries
    deferrable initially deferred
    for each row execute function ledger_transaction_balances();

create function ledger_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the ledger is append-only: post a reversing transaction instead'
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger ledger_transactions_append_only before update or delete or truncate on ledger_transactions
    for each statement execute function ledger_is_append_only();
create trigger ledger_entries_append_only before update or delete or truncate on ledger_entries
    for each statement execute function ledger_is_append_only();

-- The sandbox payment provider's own records: what a card network would keep on its
-- side. The application reads them only through the provider interface.
create table sandbox_payments (
    reference text primary key,
    idempotency_key text not null,
    amount_minor bigint not null,
    currency text not null,
    card_last4 text not null,
    status text not null,
    captured_minor bigint not null default 0,
    refunded_minor bigint not null default 0,
    -- For cards that confirm later: when the sandbox sends its webhook, and what it says.
    webhook_at timestamptz,
    webhook_outcome text,
    created_at timestamptz not null default now(),
    constraint sandbox_payments_key unique (idempotency_key),
    constraint sandbox_payments_status_check check (status in ('pending', 'authorized', 'captured', 'voided', 'declined'))
);

create index sandbox_payments_webhook_idx on sandbox_payments (webhook_at) where webhook_at is not null;

-- The sandbox's answers to capture/void/refund calls, by idempotency key: the same
-- call twice gets the same answer and has one effect.
create table sandbox_operations (
    idempotency_key text primary key,
    reference text not null references sandbox_payments (reference),
    operation text not null,
    amount_minor bigint not null,
    result text not null,
    created_at timestamptz not null default now()
);

-- The key a checkout of this cart is placed with (see commerce::cart::checkout_key).
alter table carts add column checkout_key uuid not null default gen_random_uuid();
