//! A little history for the demo: shoppers who bought, received and reviewed, so the
//! store shows ratings, the search's rating facet has something to find, and the demo
//! creator's portal has orders and revenue. It is made through the same use-cases a
//! customer, a maker and a reviewer go through (cart, checkout with the sandbox's
//! test card, shipping, delivery, rating, moderation), never by writing tables.

use anyhow::anyhow;
use chrono::Datelike;
use types::{
    SessionUser, UserId,
    checkout::CheckoutOutcome,
    ids::ProductId,
    orders::ShipTo,
    review::{ClaimFilter, Decision, ReviewKind},
};

use crate::{
    RequestMeta, Result, Services,
    commerce::{
        cart::{self, CartOwner},
        checkout::{self, OrderForm, PlaceOrder},
        orders::fulfil,
    },
    ratings::{self, Target},
    review::{decide::decide, queue},
};

/// Demo shoppers: (email, name, city, postal code, country).
const SHOPPERS: &[(&str, &str, &str, &str, &str)] = &[
    ("mei.lin@openaero.test", "Mei Lin", "Shenzhen", "518000", "CN"),
    ("jonas.berg@openaero.test", "Jonas Berg", "Hamburg", "20457", "DE"),
    ("amara.okafor@openaero.test", "Amara Okafor", "Lagos", "101241", "NG"),
    ("diego.santos@openaero.test", "Diego Santos", "Porto", "4050-001", "PT"),
    ("hana.sato@openaero.test", "Hana Sato", "Osaka", "530-0001", "JP"),
    ("liam.walsh@openaero.test", "Liam Walsh", "Cork", "T12 X70A", "IE"),
];

/// What shoppers say of a product, with their stars.
const PRODUCT_REVIEWS: &[(u8, &str)] = &[
    (5, "Held position in 30 km/h gusts without drama. Setup took ten minutes."),
    (4, "Solid build and honest flight time. The manual could say more about calibration."),
    (5, "Exactly as specified. The spec sheet matched what we measured on the bench."),
    (3, "Flies well, but the stock propellers were noisy; the maker sent quieter ones."),
    (4, "Good value for survey work. Battery swaps are quick with gloves on."),
    (5, "Second one we bought for the team. Reliable in rain, as the IP rating says."),
];

/// What shoppers say of the maker.
const MAKER_REVIEWS: &[(u8, &str)] = &[
    (5, "Shipped the next day, well packed, and answered questions within hours."),
    (4, "Friendly support. Delivery took a few days longer than promised."),
    (5, "Included spare props and a printed checklist. Great to deal with."),
];

/// How many products each shopper buys.
const PURCHASES: usize = 3;
/// Ratings left in the review queue, so a reviewer has something to do in the demo.
const LEFT_FOR_REVIEW: usize = 2;

/// Makes the history once: nothing when any order exists. Shoppers get `password`.
/// Returns the orders placed.
#[tracing::instrument(skip_all)]
pub async fn history(services: &Services, password: &str) -> Result<usize> {
    let pool = &services.pool;
    if sqlx::query_scalar!(r#"select exists (select 1 from order_groups) as "any!""#).fetch_one(pool).await? {
        return Ok(0);
    }
    // Four of the demo creator's products, so their portal has sales, and eight
    // other makers' (one each).
    let products: Vec<ProductId> = sqlx::query_scalar!(
        r#"(select p.id as "id!" from products p join creators c on c.id = p.creator_id join users u on u.id = c.user_id
            where p.status = 'published' and p.stock_on_hand - p.stock_reserved >= 10
              and u.email = 'creator@openaero.test'
            order by p.slug limit 4)
           union all
           (select id from (
                select distinct on (p.creator_id) p.id, p.slug from products p
                join creators c on c.id = p.creator_id join users u on u.id = c.user_id
                where p.status = 'published' and p.stock_on_hand - p.stock_reserved >= 10
                  and u.email <> 'creator@openaero.test'
                order by p.creator_id, p.slug
            ) one_per_maker order by slug limit 8)"#
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(ProductId)
    .collect();
    if products.is_empty() {
        return Ok(0);
    }
    let meta = RequestMeta::default();
    let today = chrono::Utc::now().date_naive();
    let mut placed = 0;
    // The sandbox's succeeding card, valid for a few more years.
    let expiry = format!("12/{:02}", (today.year() + 5) % 100);
    for (n, (email, name, city, postal_code, country)) in SHOPPERS.iter().enumerate() {
        let (user, _) =
            crate::users::register::create_verified(services, name, email, password, &[types::Role::Customer]).await?;
        let shopper = session(services, user).await?;
        for k in 0..PURCHASES {
            let product = products[(n * PURCHASES + k) % products.len()];
            cart::add(pool, CartOwner::User(user), product, 1).await?;
            let page = checkout::page(pool, user).await?;
            let form = OrderForm {
                key: page.key,
                total: page.cart.total().minor.to_string(),
                ship_to: ShipTo {
                    full_name: (*name).to_owned(),
                    line1: format!("{} Harbour Road", 10 + n),
                    city: (*city).to_owned(),
                    postal_code: (*postal_code).to_owned(),
                    country: (*country).to_owned(),
                    ..ShipTo::default()
                },
                card: types::checkout::CardForm {
                    card_number: "4242 4242 4242 4242".to_owned(),
                    card_expiry: expiry.clone(),
                    card_cvc: "123".to_owned(),
                },
                ..OrderForm::default()
            };
            let order = PlaceOrder::from_form(form, today)?;
            let number = match checkout::place(services, user, order, &meta).await? {
                CheckoutOutcome::Completed { order_number, .. } => order_number,
                other => return Err(anyhow!("demo checkout did not complete: {other:?}").into()),
            };
            placed += 1;
            let sub_order = format!("{number}-1");
            let maker = maker_of(services, &sub_order).await?;
            fulfil::ship(services, maker, &sub_order, "DHL", &format!("JD{:012}", 140_000 + placed), &meta).await?;
            fulfil::deliver(services, maker, &sub_order, &meta).await?;
            let (stars, text) = PRODUCT_REVIEWS[(n + k) % PRODUCT_REVIEWS.len()];
            let target = Target::Product { sub_order: &sub_order, product };
            ratings::submit(services, &shopper, target, &stars.to_string(), text, &meta).await?;
            if k == 0 {
                let (stars, text) = MAKER_REVIEWS[n % MAKER_REVIEWS.len()];
                let target = Target::Maker { sub_order: &sub_order };
                ratings::submit(services, &shopper, target, &stars.to_string(), text, &meta).await?;
            }
        }
    }
    approve_ratings(services, &meta).await?;
    Ok(placed)
}

async fn session(services: &Services, user: UserId) -> Result<SessionUser> {
    let mut conn = services.pool.acquire().await?;
    crate::users::session_user(&mut conn, user, 0).await?.ok_or_else(|| anyhow!("demo user {user:?} not found").into())
}

async fn maker_of(services: &Services, sub_order: &str) -> Result<UserId> {
    let user = sqlx::query_scalar!(
        "select c.user_id from sub_orders s join creators c on c.id = s.creator_id where s.number = $1",
        sub_order
    )
    .fetch_one(&services.pool)
    .await?;
    Ok(UserId(user))
}

/// The demo reviewer approves every rating but the newest few.
async fn approve_ratings(services: &Services, meta: &RequestMeta) -> Result<()> {
    let reviewer = sqlx::query_scalar!("select id from users where email = 'reviewer@openaero.test'")
        .fetch_optional(&services.pool)
        .await?;
    let Some(reviewer) = reviewer else { return Ok(()) };
    let reviewer = session(services, UserId(reviewer)).await?;
    let items = queue::list(services, &reviewer, Some(ReviewKind::Rating), ClaimFilter::All, 500).await?;
    let decide_now = items.len().saturating_sub(LEFT_FOR_REVIEW);
    for item in items.into_iter().take(decide_now) {
        decide(services, &reviewer, item.id, Decision::Approve, "", &types::certification::GrantInput::default(), meta)
            .await?;
    }
    Ok(())
}
