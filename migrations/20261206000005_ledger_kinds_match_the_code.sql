-- No code posts a 'reversal'. The check now allows exactly what `ledger::Kind`
-- names; server/tests/api/stored_names.rs keeps the two equal.
alter table ledger_transactions drop constraint ledger_transactions_kind_check;
alter table ledger_transactions add constraint ledger_transactions_kind_check check (kind in (
    'payment', 'refund', 'release', 'payout_requested', 'payout_rejected', 'payout_approved', 'payout_paid'));
