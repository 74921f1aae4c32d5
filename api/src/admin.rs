//! The admin console's work through the API: orders and refunds (`admin:orders`),
//! payouts (`admin:payouts`), the review queue (`admin:review`), users and roles
//! (`admin:users`). A scope counts only while its user holds the permission, and the
//! domain's four-eyes rules hold here too: nobody decides their own case.

use axum::{Json, extract::State, http::HeaderMap};
use chrono::{DateTime, Utc};
use domain::{
    commerce::orders::{
        fulfil::{self, RefundBy},
        read::{self, OrderFilter, Reader},
    },
    ledger::payouts::{self, Decision as PayoutDecision},
};
use serde::{Deserialize, Serialize};
use types::{
    ErrorCode, FieldError, Role, TextEnum,
    api::Scope,
    certification::GrantInput,
    ids::{PayoutId, ReviewItemId, UserId},
    review::{ClaimFilter, Decision, QueueItem, ReviewKind},
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    ApiState,
    auth::Caller,
    error::{ApiError, ApiResult, ErrorResponse},
    extract::{ApiJson, ApiPath, ApiQuery},
    list::{List, Page},
    orders::{Order, OrderListItem},
    sales::Payout,
};

pub fn routes() -> OpenApiRouter<ApiState> {
    OpenApiRouter::new()
        .routes(routes!(search_orders))
        .routes(routes!(get_order))
        .routes(routes!(refund))
        .routes(routes!(list_payouts))
        .routes(routes!(decide_payout))
        .routes(routes!(review_queue))
        .routes(routes!(decide_review))
        .routes(routes!(search_users))
        .routes(routes!(set_role))
}

/// What an admin searches orders by; every part optional.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderSearch {
    /// An order or part number, or part of one.
    pub number: Option<String>,
    /// The customer's email, or part of it.
    pub email: Option<String>,
    /// The maker's name or slug, or part of it.
    pub maker: Option<String>,
    /// A part's status, e.g. `paid`.
    pub status: Option<String>,
    /// Placed on or after, `YYYY-MM-DD` (UTC).
    pub from: Option<String>,
    /// Placed on or before, `YYYY-MM-DD` (UTC).
    pub to: Option<String>,
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
    pub starting_after: Option<String>,
}

/// Orders matching every filter given, newest first (at most 200 in all).
#[utoipa::path(
    get,
    path = "/admin/orders",
    tag = "admin",
    params(OrderSearch),
    responses(
        (status = 200, description = "A page of matching orders", body = List<OrderListItem>),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["admin:orders"]))
)]
pub async fn search_orders(
    State(state): State<ApiState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OrderSearch>,
) -> ApiResult<Json<List<OrderListItem>>> {
    caller.require(Scope::AdminOrders)?;
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    let filter = OrderFilter::parse(
        text(&q.number),
        text(&q.email),
        text(&q.maker),
        q.status.as_deref().unwrap_or(""),
        q.from.as_deref().unwrap_or(""),
        q.to.as_deref().unwrap_or(""),
    )?;
    let found = read::search(&state.services.pool, &filter).await?;
    let page = Page { limit: q.limit, starting_after: q.starting_after };
    Ok(Json(page.slice(found, |o| o.number.clone())?.map(OrderListItem::from)))
}

/// Any order, with each part's commission.
#[utoipa::path(
    get,
    path = "/admin/orders/{number}",
    tag = "admin",
    params(("number" = String, Path, description = "The order's number")),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 404, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["admin:orders"]))
)]
pub async fn get_order(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
) -> ApiResult<Json<Order>> {
    caller.require(Scope::AdminOrders)?;
    Ok(Json(read::order(&state.services.pool, &number, Reader::Admin(caller.user())).await?.into()))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Refund {
    /// The part's number.
    pub sub_order: String,
    /// In minor units; everything that is left when left out.
    #[schema(minimum = 1)]
    pub amount: Option<i64>,
    /// Shown to the customer.
    pub reason: String,
}

/// Refunds a part of an order through the payment provider, at most what is left.
/// Another admin refunds an order of your own or of your shop.
#[utoipa::path(
    post,
    path = "/admin/orders/{number}/refunds",
    tag = "admin",
    params(
        ("number" = String, Path, description = "The order's number"),
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer"),
    ),
    request_body = Refund,
    responses(
        (status = 200, description = "The order after the refund", body = Order),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, description = "Your own case: another admin decides", body = ErrorResponse),
        (status = 404, body = ErrorResponse), (status = 409, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["admin:orders"]))
)]
pub async fn refund(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(number): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<Refund>,
) -> ApiResult<Json<Order>> {
    caller.require(Scope::AdminOrders)?;
    let services = &state.services;
    let reader = Reader::Admin(caller.user());
    let order = read::order(&services.pool, &number, reader).await?;
    if !order.sub_orders.iter().any(|s| s.number == request.sub_order) {
        return Err(ApiError::fields(vec![FieldError::new("sub_order", ErrorCode::NotFound)]));
    }
    let by = RefundBy::Admin(caller.user());
    fulfil::refund(services, &request.sub_order, request.amount, &request.reason, by, &caller.meta(&headers)).await?;
    Ok(Json(read::order(&services.pool, &number, reader).await?.into()))
}

/// Every maker's payouts, open ones first.
#[utoipa::path(
    get,
    path = "/admin/payouts",
    tag = "admin",
    params(Page),
    responses(
        (status = 200, description = "A page of payouts", body = List<Payout>),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["admin:payouts"]))
)]
pub async fn list_payouts(
    State(state): State<ApiState>,
    caller: Caller,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<Json<List<Payout>>> {
    caller.require(Scope::AdminPayouts)?;
    let all = payouts::list(&state.services.pool, None, caller.user()).await?;
    Ok(Json(page.slice(all, |p| p.id.to_string())?.map(Payout::from)))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayoutDecisionRequest {
    /// `approve`, `reject` (with `reason`) or `mark_paid` (with `reference`).
    pub decision: String,
    pub reason: Option<String>,
    /// The bank transfer's reference.
    pub reference: Option<String>,
}

/// Approves, rejects or marks a payout paid, with its ledger transaction. A payout to
/// your own shop is decided by another admin.
#[utoipa::path(
    post,
    path = "/admin/payouts/{id}/decision",
    tag = "admin",
    params(
        ("id" = uuid::Uuid, Path, description = "The payout's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer"),
    ),
    request_body = PayoutDecisionRequest,
    responses(
        (status = 200, description = "The payout as it is now", body = Payout),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, body = ErrorResponse), (status = 404, body = ErrorResponse),
        (status = 409, description = "Not possible in the payout's status", body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["admin:payouts"]))
)]
pub async fn decide_payout(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<PayoutDecisionRequest>,
) -> ApiResult<Json<Payout>> {
    caller.require(Scope::AdminPayouts)?;
    let decision = match request.decision.as_str() {
        "approve" => PayoutDecision::Approve,
        "reject" => PayoutDecision::Reject { reason: request.reason.unwrap_or_default() },
        "mark_paid" => PayoutDecision::Paid { reference: request.reference.unwrap_or_default() },
        _ => return Err(ApiError::fields(vec![FieldError::new("decision", ErrorCode::InvalidInput)])),
    };
    let pool = &state.services.pool;
    payouts::decide(pool, caller.user(), PayoutId(id), decision, &caller.meta(&headers)).await?;
    let payout = payouts::list(pool, None, caller.user())
        .await?
        .into_iter()
        .find(|p| p.id.0 == id)
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(payout.into()))
}

/// An open item of the review queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewItem {
    pub id: uuid::Uuid,
    /// `creator_verification`, `product_submission`, `portfolio_item`,
    /// `certification_application` or `rating`.
    pub kind: String,
    pub title: String,
    pub maker_name: String,
    pub status: String,
    pub submitted_at: DateTime<Utc>,
    /// The reviewer working on it.
    pub claimed_by: Option<String>,
    /// Submitted by you or about your own shop: another reviewer decides it.
    pub own_case: bool,
}

impl From<QueueItem> for ReviewItem {
    fn from(i: QueueItem) -> Self {
        ReviewItem {
            id: i.id.0,
            kind: i.kind.as_str().to_owned(),
            title: i.title,
            maker_name: i.creator_name,
            status: i.status.as_str().to_owned(),
            submitted_at: i.submitted_at,
            claimed_by: i.claimed_by,
            own_case: i.own_case,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueFilter {
    /// Only this kind of item.
    pub kind: Option<String>,
    /// `all` (the default), `mine` or `unclaimed`.
    pub claim: Option<String>,
}

/// Open items, oldest first (at most 100).
#[utoipa::path(
    get,
    path = "/admin/review",
    tag = "admin",
    params(QueueFilter),
    responses(
        (status = 200, description = "The queue", body = Vec<ReviewItem>),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["admin:review"]))
)]
pub async fn review_queue(
    State(state): State<ApiState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<QueueFilter>,
) -> ApiResult<Json<Vec<ReviewItem>>> {
    caller.require(Scope::AdminReview)?;
    let kind = match filter.kind.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(
            ReviewKind::parse(raw)
                .ok_or_else(|| ApiError::fields(vec![FieldError::new("kind", ErrorCode::InvalidInput)]))?,
        ),
    };
    let claim = ClaimFilter::parse(filter.claim.as_deref().unwrap_or_default());
    let items = domain::review::queue::list(&state.services, &caller.0.user, kind, claim, 100).await?;
    Ok(Json(items.into_iter().map(ReviewItem::from).collect()))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewDecision {
    /// `approved`, `rejected` or `changes_requested` (the last two need `feedback`).
    pub decision: String,
    #[serde(default)]
    pub feedback: String,
    /// For a certification application approved: the certificate granted.
    pub grant: Option<CertificateGrant>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateGrant {
    /// `basic`, `standard` or `premium`.
    pub level: String,
    /// Who tested it.
    pub body: String,
    /// `YYYY-MM-DD`.
    pub granted_on: String,
    pub expires_on: String,
}

/// Decides a review item; the maker is told. Your own submissions are decided by
/// another reviewer.
#[utoipa::path(
    post,
    path = "/admin/review/{id}/decision",
    tag = "admin",
    params(
        ("id" = uuid::Uuid, Path, description = "The item's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer"),
    ),
    request_body = ReviewDecision,
    responses(
        (status = 204, description = "Decided"),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, description = "Your own case", body = ErrorResponse),
        (status = 404, body = ErrorResponse),
        (status = 409, description = "Already decided, or claimed by another reviewer", body = ErrorResponse),
        (status = 422, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["admin:review"]))
)]
pub async fn decide_review(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<ReviewDecision>,
) -> ApiResult<axum::http::StatusCode> {
    caller.require(Scope::AdminReview)?;
    let decision = Decision::parse(&request.decision)
        .ok_or_else(|| ApiError::fields(vec![FieldError::new("decision", ErrorCode::InvalidInput)]))?;
    let grant = request.grant.map_or_else(
        || GrantInput {
            level: String::new(),
            body: String::new(),
            granted_on: String::new(),
            expires_on: String::new(),
        },
        |g| GrantInput { level: g.level, body: g.body, granted_on: g.granted_on, expires_on: g.expires_on },
    );
    domain::review::decide::decide(
        &state.services,
        &caller.0.user,
        ReviewItemId(id),
        decision,
        &request.feedback,
        &grant,
        &caller.meta(&headers),
    )
    .await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: uuid::Uuid,
    pub email: String,
    pub name: String,
    /// `customer`, `creator`, `reviewer`, `admin`.
    pub roles: Vec<String>,
    pub is_active: bool,
    pub email_verified: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserSearch {
    /// Part of a name or email.
    pub q: Option<String>,
}

/// Users whose name or email contains `q` (at most 100).
#[utoipa::path(
    get,
    path = "/admin/users",
    tag = "admin",
    params(UserSearch),
    responses(
        (status = 200, description = "Matching users", body = Vec<User>),
        (status = 401, body = ErrorResponse), (status = 403, body = ErrorResponse), (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["admin:users"]))
)]
pub async fn search_users(
    State(state): State<ApiState>,
    caller: Caller,
    ApiQuery(search): ApiQuery<UserSearch>,
) -> ApiResult<Json<Vec<User>>> {
    caller.require(Scope::AdminUsers)?;
    let found = domain::users::roles::search_users(&state.services, search.q.as_deref().unwrap_or(""), 100).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|u| User {
                id: u.id.0,
                email: u.email,
                name: u.name,
                roles: u.roles.iter().map(|r| r.as_str().to_owned()).collect(),
                is_active: u.is_active,
                email_verified: u.email_verified,
                created_at: u.created_at,
                last_login_at: u.last_login_at,
            })
            .collect(),
    ))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    /// `customer`, `creator`, `reviewer` or `admin`.
    pub role: String,
    /// Grant it (`true`) or take it away (`false`).
    pub grant: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleChanged {
    /// Whether anything changed (granting a role held already changes nothing).
    pub changed: bool,
}

/// Grants or takes away one role. Nobody changes their own roles, and the last admin
/// stays an admin.
#[utoipa::path(
    post,
    path = "/admin/users/{id}/roles",
    tag = "admin",
    params(
        ("id" = uuid::Uuid, Path, description = "The user's id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Sending the request again with the same key replays the first answer"),
    ),
    request_body = RoleChange,
    responses(
        (status = 200, description = "Done", body = RoleChanged),
        (status = 400, body = ErrorResponse), (status = 401, body = ErrorResponse),
        (status = 403, description = "Your own roles", body = ErrorResponse),
        (status = 404, body = ErrorResponse),
        (status = 409, description = "The last admin", body = ErrorResponse),
        (status = 429, body = ErrorResponse),
    ),
    security(("token" = ["admin:users"]))
)]
pub async fn set_role(
    State(state): State<ApiState>,
    caller: Caller,
    ApiPath(id): ApiPath<uuid::Uuid>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<RoleChange>,
) -> ApiResult<Json<RoleChanged>> {
    caller.require(Scope::AdminUsers)?;
    let role = Role::parse(&request.role).ok_or_else(|| ApiError::from_code(ErrorCode::UnknownRole))?;
    let changed = domain::users::roles::set_role(
        &state.services,
        caller.user(),
        UserId(id),
        role,
        request.grant,
        &caller.meta(&headers),
    )
    .await?;
    Ok(Json(RoleChanged { changed }))
}
