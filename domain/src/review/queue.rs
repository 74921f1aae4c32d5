//! Opening items, listing the queue, claiming and releasing, and an item's detail.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use types::TextEnum;
use types::{
    ErrorCode, Permission, SessionUser,
    ids::{CreatorId, ReviewItemId},
    review::{ClaimFilter, Decision, HistoryEntry, ItemDetail, QueueItem, ReviewKind, ReviewStatus, compare},
};

use crate::{
    Error, Result, Services,
    error::OnConstraint,
    events::{EventType, NewEvent},
    four_eyes,
};

/// Opens an item for a submission. A subject with an item still open cannot be
/// submitted again until it is decided.
pub async fn open(
    conn: &mut PgConnection,
    kind: ReviewKind,
    subject: uuid::Uuid,
    creator: CreatorId,
    title: &str,
    snapshot: &[(String, String)],
) -> Result<ReviewItemId> {
    let id = ReviewItemId::new();
    sqlx::query!(
        "insert into review_items (id, kind, subject_id, creator_id, title, snapshot) values ($1, $2, $3, $4, $5, $6)",
        id.0,
        kind.as_str(),
        subject,
        creator.0,
        title,
        serde_json::to_value(snapshot).map_err(anyhow::Error::from)?,
    )
    .execute(conn)
    .await
    .on_constraint("review_items_one_open_idx", || Error::Conflict(ErrorCode::AlreadyInReview))?;
    Ok(id)
}

/// The event that says an item of a creator's went into, or came out of, the queue.
/// Withdraws every open item of `creator` (their maker closed the account): nothing of
/// theirs waits for a reviewer any more.
pub async fn withdraw_all(conn: &mut PgConnection, creator: CreatorId) -> Result<u64> {
    Ok(sqlx::query!(
        "update review_items set status = 'withdrawn', decided_at = now(), claimed_by = null, claimed_at = null
         where creator_id = $1 and status = 'open'",
        creator.0
    )
    .execute(conn)
    .await?
    .rows_affected())
}

pub fn submission_event(event_type: EventType, creator: CreatorId, item: ReviewItemId, kind: ReviewKind) -> NewEvent {
    NewEvent {
        event_type,
        aggregate_type: "creator",
        aggregate_id: creator.to_string(),
        aggregate_version: 1,
        data: serde_json::json!({ "review_item_id": item, "kind": kind.as_str() }),
    }
}

struct Row {
    id: uuid::Uuid,
    kind: String,
    title: String,
    creator_name: String,
    status: String,
    submitted_at: DateTime<Utc>,
    claimed_by: Option<uuid::Uuid>,
    claimer_name: Option<String>,
    own_case: bool,
}

fn queue_item(row: Row, me: &SessionUser) -> QueueItem {
    QueueItem {
        id: ReviewItemId(row.id),
        kind: ReviewKind::parse(&row.kind).unwrap_or(ReviewKind::ProductSubmission),
        title: row.title,
        creator_name: row.creator_name,
        status: ReviewStatus::parse(&row.status).unwrap_or(ReviewStatus::Open),
        submitted_at: row.submitted_at,
        claimed_by: row.claimer_name,
        claimed_by_me: row.claimed_by == Some(me.id.0),
        own_case: row.own_case,
    }
}

/// Open items, oldest first (the longest wait is served first).
#[tracing::instrument(skip_all, fields(me = %me.id))]
pub async fn list(
    services: &Services,
    me: &SessionUser,
    kind: Option<ReviewKind>,
    claim: ClaimFilter,
    limit: i64,
) -> Result<Vec<QueueItem>> {
    let rows = sqlx::query_as!(
        Row,
        r#"select i.id, i.kind, i.title, c.display_name as creator_name, i.status,
                  i.submitted_at as "submitted_at: DateTime<Utc>", i.claimed_by, u.name as "claimer_name?",
                  review_is_own_case(i.id, $3) as "own_case!"
           from review_items i
           join creators c on c.id = i.creator_id
           left join users u on u.id = i.claimed_by
           where i.status = 'open'
             and ($1::text is null or i.kind = $1)
             and ($2 <> 'mine' or i.claimed_by = $3)
             and ($2 <> 'unclaimed' or i.claimed_by is null)
           order by i.submitted_at, i.id
           limit $4"#,
        kind.map(ReviewKind::as_str),
        claim.as_str(),
        me.id.0,
        limit
    )
    .fetch_all(&services.pool)
    .await?;
    Ok(rows.into_iter().map(|r| queue_item(r, me)).collect())
}

/// Why an item cannot be claimed or decided by `me`, if it cannot. `action` names the
/// attempt in the audit log when it is `me`'s own case.
async fn lock_open(
    conn: &mut PgConnection,
    pool: &sqlx::PgPool,
    me: &SessionUser,
    id: ReviewItemId,
    action: &str,
) -> Result<(String, Option<uuid::Uuid>)> {
    let row = sqlx::query!(
        r#"select status, claimed_by, review_is_own_case(id, $2) as "own_case!"
           from review_items where id = $1 for update"#,
        id.0,
        me.id.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    if row.own_case {
        return Err(four_eyes::refuse(pool, me.id, action, "review_item", id, ErrorCode::OwnCase).await);
    }
    if row.status != ReviewStatus::Open.as_str() {
        return Err(Error::Conflict(ErrorCode::AlreadyDecided));
    }
    if row.claimed_by.is_some_and(|c| c != me.id.0) {
        return Err(Error::Conflict(ErrorCode::ClaimedByOther));
    }
    Ok((row.status, row.claimed_by))
}

/// Takes an item so no other reviewer works on it at the same time.
#[tracing::instrument(skip_all, fields(me = %me.id, id = %id))]
pub async fn claim(services: &Services, me: &SessionUser, id: ReviewItemId) -> Result<()> {
    let mut tx = services.pool.begin().await?;
    lock_open(&mut tx, &services.pool, me, id, "review.claim").await?;
    sqlx::query!(
        "update review_items set claimed_by = $2, claimed_at = coalesce(claimed_at, now()) where id = $1",
        id.0,
        me.id.0
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Gives an item back to the queue. Its claimer may; an admin may release anyone's
/// (a reviewer who left for the day).
#[tracing::instrument(skip_all, fields(me = %me.id, id = %id))]
pub async fn release(services: &Services, me: &SessionUser, id: ReviewItemId) -> Result<()> {
    let done = sqlx::query!(
        "update review_items set claimed_by = null, claimed_at = null
         where id = $1 and status = 'open' and (claimed_by = $2 or $3)",
        id.0,
        me.id.0,
        me.can(Permission::ManageUsers)
    )
    .execute(&services.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::Conflict(ErrorCode::ClaimedByOther));
    }
    Ok(())
}

/// Locks an open item for a decision by `me` (claiming it if nobody had).
pub(crate) async fn lock_for_decision(
    conn: &mut PgConnection,
    pool: &sqlx::PgPool,
    me: &SessionUser,
    id: ReviewItemId,
) -> Result<()> {
    lock_open(conn, pool, me, id, "review.decide").await.map(|_| ())
}

/// The item with its subject, the comparison with the last approved submission of
/// the same subject, and the subject's whole history.
#[tracing::instrument(skip_all, fields(me = %me.id, id = %id))]
pub async fn detail(services: &Services, me: &SessionUser, id: ReviewItemId) -> Result<ItemDetail> {
    let mut conn = services.pool.acquire().await?;
    let row = sqlx::query!(
        r#"select i.id, i.kind, i.title, c.display_name as creator_name, i.status,
                  i.submitted_at as "submitted_at: DateTime<Utc>", i.claimed_by, u.name as "claimer_name?",
                  i.subject_id, i.creator_id, i.snapshot, review_is_own_case(i.id, $2) as "own_case!"
           from review_items i
           join creators c on c.id = i.creator_id
           left join users u on u.id = i.claimed_by
           where i.id = $1"#,
        id.0,
        me.id.0
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound)?;
    let (subject, creator, snapshot) = (row.subject_id, CreatorId(row.creator_id), row.snapshot);
    let item = queue_item(
        Row {
            id: row.id,
            kind: row.kind,
            title: row.title,
            creator_name: row.creator_name,
            status: row.status,
            submitted_at: row.submitted_at,
            claimed_by: row.claimed_by,
            claimer_name: row.claimer_name,
            own_case: row.own_case,
        },
        me,
    );
    let current: Vec<(String, String)> = serde_json::from_value(snapshot).unwrap_or_default();

    // The last approved submission before this one, else the one just before.
    let earlier = sqlx::query!(
        r#"select snapshot, status from review_items
           where subject_id = $1 and kind = $2
             and submitted_at < (select submitted_at from review_items where id = $3)
           order by (status = 'approved') desc, submitted_at desc limit 1"#,
        subject,
        item.kind.as_str(),
        item.id.0
    )
    .fetch_optional(&mut *conn)
    .await?;
    let compared_with_approved = earlier.as_ref().is_some_and(|e| e.status == ReviewStatus::Approved.as_str());
    let before: Option<Vec<(String, String)>> = earlier.map(|e| serde_json::from_value(e.snapshot).unwrap_or_default());

    let history = history(&mut conn, subject, item.kind).await?;
    let evidence = services.review_subjects.get(item.kind)?.evidence(&mut conn, subject, creator).await?;
    Ok(ItemDetail {
        has_previous: before.is_some(),
        certification: evidence.certification,
        changes: compare(before.as_deref(), &current),
        compared_with_approved,
        application: evidence.application,
        media: evidence.media,
        history,
        item,
    })
}

/// Every submission of a subject and every decision on it, oldest first.
pub async fn history(conn: &mut PgConnection, subject: uuid::Uuid, kind: ReviewKind) -> Result<Vec<HistoryEntry>> {
    let rows = sqlx::query!(
        r#"select at as "at!: DateTime<Utc>", actor as "actor!", decision, feedback as "feedback!" from (
               -- A rating is submitted by its customer, anything else by the creator.
               select i.submitted_at as at, coalesce(cu.name, su.name, '') as actor, null::text as decision,
                      '' as feedback
               from review_items i
               join creators c on c.id = i.creator_id
               left join users su on su.id = c.user_id
               left join ratings r on i.kind = 'rating' and r.id = i.subject_id
               left join users cu on cu.id = r.customer_id
               where i.subject_id = $1 and i.kind = $2
               union all
               select d.created_at, coalesce(ru.name, ''), d.decision, d.feedback
               from review_decisions d
               join review_items i on i.id = d.item_id
               left join users ru on ru.id = d.reviewer_id
               where i.subject_id = $1 and i.kind = $2
           ) h order by at"#,
        subject,
        kind.as_str()
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HistoryEntry {
            at: r.at,
            actor: r.actor,
            decision: r.decision.as_deref().and_then(Decision::parse),
            feedback: r.feedback,
        })
        .collect())
}
