-- Becoming a creator (the application and its verification documents), the review
-- queue shared by every kind of submission, and in-app notifications.

-- The application lives on the creator row: one per user, resubmitted in place.
-- The tax id is encrypted by the application (AES-256-GCM); the key id names the
-- key so keys can rotate, and only the last characters are kept in the clear, for
-- the masked display ("•••• 4321").
alter table creators
    add column tax_id_ciphertext bytea,
    add column tax_id_key_id text,
    add column tax_id_last4 text,
    add column address_line1 text not null default '',
    add column address_line2 text not null default '',
    add column city text not null default '',
    add column region text not null default '',
    add column postal_code text not null default '',
    add column country text not null default '',
    add column contact_email text not null default '',
    add column contact_phone text not null default '',
    add column rejection_reason text,
    add column submitted_at timestamptz,
    add constraint creators_tax_id_complete
        check ((tax_id_ciphertext is null) = (tax_id_key_id is null) and (tax_id_ciphertext is null) = (tax_id_last4 is null)),
    add constraint creators_country_format check (country = '' or country ~ '^[A-Z]{2}$'),
    add constraint creators_rejection_reason_check check ((status = 'rejected') = (rejection_reason is not null));

create index creators_tax_id_key_idx on creators (tax_id_key_id) where tax_id_key_id is not null;

create table creator_documents (
    creator_id uuid not null references creators (id) on delete cascade,
    file_id uuid not null references files (id) on delete restrict,
    position integer not null,
    primary key (creator_id, file_id)
);

-- One queue for everything reviewers decide. An item is one submission of one
-- subject (a creator's application, a product revision, a portfolio item, a
-- certification application); resubmitting makes a new item, so the history of a
-- subject is its items and their decisions.
create table review_items (
    id uuid primary key,
    kind text not null,
    subject_id uuid not null,
    creator_id uuid not null references creators (id) on delete cascade,
    title text not null,
    -- What was submitted, as (field, shown value) pairs: the reviewer's side-by-side
    -- comparison with the last approved submission reads these.
    snapshot jsonb not null default '[]',
    status text not null default 'open',
    claimed_by uuid references users (id) on delete set null,
    claimed_at timestamptz,
    submitted_at timestamptz not null default now(),
    decided_at timestamptz,
    constraint review_items_kind_check
        check (kind in ('creator_verification', 'product_submission', 'portfolio_item', 'certification_application')),
    constraint review_items_status_check
        check (status in ('open', 'approved', 'rejected', 'changes_requested', 'withdrawn')),
    constraint review_items_claim_check check ((claimed_by is null) = (claimed_at is null)),
    constraint review_items_decided_check check ((status = 'open') = (decided_at is null))
);

-- At most one open item per subject: a second submission while one waits is refused.
create unique index review_items_one_open_idx on review_items (kind, subject_id) where status = 'open';
create index review_items_queue_idx on review_items (submitted_at) where status = 'open';
create index review_items_subject_idx on review_items (subject_id, submitted_at desc);

-- Every decision, never updated or deleted: who, when, what and why.
create table review_decisions (
    id bigint generated always as identity primary key,
    item_id uuid not null references review_items (id) on delete cascade,
    reviewer_id uuid references users (id) on delete set null,
    decision text not null,
    feedback text not null default '',
    created_at timestamptz not null default now(),
    constraint review_decisions_decision_check check (decision in ('approved', 'rejected', 'changes_requested')),
    constraint review_decisions_feedback_check check (decision = 'approved' or length(btrim(feedback)) > 0)
);

create index review_decisions_item_idx on review_decisions (item_id, created_at);

-- In-app notifications: what the bell in the header counts and lists. The text is
-- rendered in the reader's language from `kind` and `params`.
create table notifications (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    kind text not null,
    params jsonb not null default '{}',
    link text not null default '',
    read_at timestamptz,
    created_at timestamptz not null default now()
);

create index notifications_user_idx on notifications (user_id, created_at desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;
