-- Payouts: a creator asks for (part of) their available balance, an admin approves
-- or rejects it, then marks it paid with the bank's reference. Each step is also a
-- ledger transaction; this table keeps the request's own story.

create table payouts (
    id uuid primary key,
    creator_id uuid not null references creators (id) on delete restrict,
    amount_minor bigint not null,
    currency text not null,
    status text not null default 'requested',
    reason text,
    reference text,
    requested_at timestamptz not null default now(),
    decided_at timestamptz,
    decided_by uuid references users (id) on delete set null,
    paid_at timestamptz,
    constraint payouts_amount_check check (amount_minor > 0),
    constraint payouts_status_check check (status in ('requested', 'approved', 'rejected', 'paid')),
    constraint payouts_rejected_reason_check check (status <> 'rejected' or reason is not null),
    constraint payouts_paid_reference_check check (status <> 'paid' or reference is not null)
);

create index payouts_creator_idx on payouts (creator_id, requested_at desc);
create index payouts_open_idx on payouts (requested_at) where status in ('requested', 'approved');

-- Approved payouts wait in their own account until the money is sent.
alter table ledger_entries drop constraint ledger_entries_account_check;
alter table ledger_entries add constraint ledger_entries_account_check check (account in (
    'cash', 'commission', 'creator_pending', 'creator_available', 'creator_payout', 'creator_payout_approved'));

insert into permissions (name, description) values
    ('orders.manage', 'Find any order and refund it'),
    ('finance.manage', 'Decide payouts and read the books');

insert into role_permissions (role, permission) values
    ('admin', 'orders.manage'),
    ('admin', 'finance.manage');
