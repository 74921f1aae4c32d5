//! Carts: what a customer (or an anonymous visitor) means to buy. Quantities are
//! capped at what is in stock when they are set; the view says when a price moved or
//! stock ran short since. Owns `carts` and `cart_items`.

use sqlx::{PgConnection, PgPool};
use types::{
    ErrorCode, UserId,
    cart::{CartGroup, CartLine, CartView, LineNotice, MAX_QUANTITY},
    catalog::Money,
    ids::{CartId, ProductId},
};

use crate::{Error, Result, catalog::artwork};

/// A quantity as a form sent it: empty means one.
pub fn parse_quantity(raw: Option<&str>) -> Result<i32> {
    match raw.map(str::trim) {
        None | Some("") => Ok(1),
        Some(raw) => raw.parse().map_err(|_| Error::field("quantity", ErrorCode::NotANumber)),
    }
}

/// Whose cart: a signed-in user's, or the anonymous one a session points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CartOwner {
    User(UserId),
    /// `None` before the visitor put anything in.
    Anonymous(Option<CartId>),
}

/// How long an anonymous cart is kept after it was last touched.
pub const ANONYMOUS_CART_DAYS: i32 = 30;

/// The owner's cart, if it has one.
async fn find(conn: &mut PgConnection, owner: CartOwner) -> Result<Option<CartId>> {
    Ok(match owner {
        CartOwner::User(user) => sqlx::query_scalar!("select id from carts where user_id = $1", user.0)
            .fetch_optional(conn)
            .await?
            .map(CartId),
        CartOwner::Anonymous(Some(id)) => {
            sqlx::query_scalar!("select id from carts where id = $1 and user_id is null", id.0)
                .fetch_optional(conn)
                .await?
                .map(CartId)
        }
        CartOwner::Anonymous(None) => None,
    })
}

/// The owner's cart, made if needed, and marked as used now (abandoned anonymous
/// carts are swept by that time): one statement for a customer's cart.
async fn touch_or_create(conn: &mut PgConnection, owner: CartOwner) -> Result<CartId> {
    let user = match owner {
        CartOwner::User(user) => Some(user.0),
        CartOwner::Anonymous(Some(id)) => {
            let touched = sqlx::query_scalar!(
                "update carts set updated_at = now() where id = $1 and user_id is null returning id",
                id.0
            )
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(id) = touched {
                return Ok(CartId(id));
            }
            None
        }
        CartOwner::Anonymous(None) => None,
    };
    // Two first adds at once (two tabs) make one cart: the loser takes the winner's.
    let id = sqlx::query_scalar!(
        "insert into carts (id, user_id) values ($1, $2)
         on conflict (user_id) do update set updated_at = now()
         returning id",
        CartId::new().0,
        user
    )
    .fetch_one(conn)
    .await?;
    Ok(CartId(id))
}

/// A published product's price and what is left of it, locked against a concurrent
/// change of the same line.
struct Offer {
    price_minor: i64,
    currency: String,
    available: i32,
    /// The maker's account: they may not buy their own products.
    maker: uuid::Uuid,
}

async fn offer(conn: &mut PgConnection, product: ProductId) -> Result<Offer> {
    sqlx::query_as!(
        Offer,
        r#"select p.price_minor, p.currency, p.stock_on_hand - p.stock_reserved as "available!", c.user_id as maker
           from products p join creators c on c.id = p.creator_id
           where p.id = $1 and p.status = 'published'"#,
        product.0
    )
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)
}

/// Adds `quantity` of a product (to what the cart already holds), capped at what is
/// in stock. Returns the cart (new for a first anonymous add) and the line's quantity.
#[tracing::instrument(skip_all, fields(product = %product))]
pub async fn add(pool: &PgPool, owner: CartOwner, product: ProductId, quantity: i32) -> Result<(CartId, i32)> {
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(Error::field("quantity", ErrorCode::OutOfRange));
    }
    let mut tx = pool.begin().await?;
    let offer = offer(&mut tx, product).await?;
    if matches!(owner, CartOwner::User(user) if user.0 == offer.maker) {
        return Err(Error::Refused(ErrorCode::OwnListing));
    }
    if offer.available <= 0 {
        return Err(Error::Conflict(ErrorCode::SoldOut));
    }
    let cart = touch_or_create(&mut tx, owner).await?;
    let cap = offer.available.min(MAX_QUANTITY);
    let held = sqlx::query_scalar!(
        "insert into cart_items (cart_id, product_id, quantity, seen_price_minor, seen_currency)
         values ($1, $2, least($3::int, $4::int), $5, $6)
         on conflict (cart_id, product_id) do update
         set quantity = least(cart_items.quantity + excluded.quantity, $4),
             seen_price_minor = excluded.seen_price_minor, seen_currency = excluded.seen_currency, updated_at = now()
         returning quantity",
        cart.0,
        product.0,
        quantity,
        cap,
        offer.price_minor,
        offer.currency
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((cart, held))
}

/// Sets a line's quantity (0 removes it), capped at what is in stock. Returns the
/// quantity now held.
#[tracing::instrument(skip_all, fields(product = %product))]
pub async fn set_quantity(pool: &PgPool, owner: CartOwner, product: ProductId, quantity: i32) -> Result<i32> {
    if !(0..=MAX_QUANTITY).contains(&quantity) {
        return Err(Error::field("quantity", ErrorCode::OutOfRange));
    }
    let mut tx = pool.begin().await?;
    let cart = find(&mut tx, owner).await?.ok_or(Error::NotFound)?;
    if quantity == 0 {
        remove_line(&mut tx, cart, product).await?;
        tx.commit().await?;
        return Ok(0);
    }
    let offer = offer(&mut tx, product).await?;
    let held = quantity.min(offer.available.max(0));
    if held == 0 {
        return Err(Error::Conflict(ErrorCode::SoldOut));
    }
    let done = sqlx::query_scalar!(
        "update cart_items set quantity = $3, seen_price_minor = $4, seen_currency = $5, updated_at = now()
         where cart_id = $1 and product_id = $2
         returning quantity",
        cart.0,
        product.0,
        held,
        offer.price_minor,
        offer.currency
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    touch(&mut tx, cart).await?;
    tx.commit().await?;
    Ok(done)
}

#[tracing::instrument(skip_all, fields(product = %product))]
pub async fn remove(pool: &PgPool, owner: CartOwner, product: ProductId) -> Result<()> {
    let mut tx = pool.begin().await?;
    if let Some(cart) = find(&mut tx, owner).await? {
        remove_line(&mut tx, cart, product).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn remove_line(conn: &mut PgConnection, cart: CartId, product: ProductId) -> Result<()> {
    sqlx::query!("delete from cart_items where cart_id = $1 and product_id = $2", cart.0, product.0)
        .execute(&mut *conn)
        .await?;
    touch(conn, cart).await
}

async fn touch(conn: &mut PgConnection, cart: CartId) -> Result<()> {
    sqlx::query!("update carts set updated_at = now() where id = $1", cart.0).execute(conn).await?;
    Ok(())
}

/// Moves an anonymous cart into the user's at login: quantities of the same product
/// add up, capped at what is in stock; the anonymous cart is gone afterwards.
pub async fn merge(conn: &mut PgConnection, anonymous: CartId, user: UserId) -> Result<()> {
    let Some(from) = find(conn, CartOwner::Anonymous(Some(anonymous))).await? else {
        return Ok(());
    };
    let into = touch_or_create(conn, CartOwner::User(user)).await?;
    sqlx::query!(
        "insert into cart_items (cart_id, product_id, quantity, seen_price_minor, seen_currency, added_at)
         select $2, i.product_id, least(i.quantity, greatest(p.stock_on_hand - p.stock_reserved, 1), $3),
                i.seen_price_minor, i.seen_currency, i.added_at
         from cart_items i join products p on p.id = i.product_id
         where i.cart_id = $1
         on conflict (cart_id, product_id) do update
         set quantity = least(
                 cart_items.quantity + excluded.quantity,
                 greatest((select stock_on_hand - stock_reserved from products where id = excluded.product_id), 1),
                 $3),
             updated_at = now()",
        from.0,
        into.0,
        MAX_QUANTITY
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("delete from carts where id = $1", from.0).execute(&mut *conn).await?;
    Ok(())
}

/// The cart as the customer sees it, grouped by creator in the order lines were
/// first added.
#[tracing::instrument(skip_all)]
pub async fn view(pool: &PgPool, owner: CartOwner) -> Result<CartView> {
    let mut conn = pool.acquire().await?;
    let Some(cart) = find(&mut conn, owner).await? else {
        return Ok(CartView::default());
    };
    let rows = sqlx::query!(
        r#"select i.product_id, i.quantity, i.seen_price_minor, i.seen_currency,
                  p.slug, p.name_en, p.price_minor, p.currency, p.status,
                  p.stock_on_hand - p.stock_reserved as "available!",
                  c.display_name as creator_name, c.slug as creator_slug,
                  (select m.url from product_media m where m.product_id = p.id and m.kind = 'image'
                   order by m.position limit 1) as image_url
           from cart_items i
           join products p on p.id = i.product_id
           join creators c on c.id = p.creator_id
           where i.cart_id = $1
           order by i.added_at, i.product_id"#,
        cart.0
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut groups: Vec<CartGroup> = Vec::new();
    for r in rows {
        let price = Money::new(r.price_minor, r.currency.clone());
        let notice = if r.status != "published" {
            Some(LineNotice::Unavailable)
        } else if r.available <= 0 {
            Some(LineNotice::SoldOut)
        } else if r.available < r.quantity {
            Some(LineNotice::OnlyLeft { available: r.available })
        } else if (r.seen_price_minor, &r.seen_currency) != (r.price_minor, &r.currency) {
            Some(LineNotice::PriceChanged { was: Money::new(r.seen_price_minor, r.seen_currency) })
        } else {
            None
        };
        let line = CartLine {
            product: ProductId(r.product_id),
            slug: r.slug,
            name: r.name_en,
            image_url: r.image_url.unwrap_or_else(|| artwork::url(artwork::Shape::Quad, 210, 0)),
            unit_price: price,
            quantity: r.quantity,
            available: r.available.max(0),
            notice,
        };
        match groups.iter_mut().find(|g| g.creator_slug == r.creator_slug) {
            Some(group) => group.lines.push(line),
            None => {
                groups.push(CartGroup { creator_name: r.creator_name, creator_slug: r.creator_slug, lines: vec![line] })
            }
        }
    }
    Ok(CartView { groups })
}

/// Items in the owner's cart, for the header.
#[tracing::instrument(skip_all)]
pub async fn count(pool: &PgPool, owner: CartOwner) -> Result<u32> {
    let mut conn = pool.acquire().await?;
    let Some(cart) = find(&mut conn, owner).await? else {
        return Ok(0);
    };
    let n = sqlx::query_scalar!(
        r#"select coalesce(sum(quantity), 0)::int8 as "n!" from cart_items where cart_id = $1"#,
        cart.0
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// Deletes anonymous carts untouched for [`ANONYMOUS_CART_DAYS`]; returns how many.
#[tracing::instrument(skip_all)]
pub async fn sweep_abandoned(pool: &PgPool) -> Result<u64> {
    let done = sqlx::query!(
        "delete from carts where user_id is null and updated_at < now() - make_interval(days => $1)",
        ANONYMOUS_CART_DAYS
    )
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// The product a storefront page names by its slug.
#[tracing::instrument(skip_all)]
pub async fn product_by_slug(pool: &PgPool, slug: &str) -> Result<ProductId> {
    sqlx::query_scalar!("select id from products where slug = $1 and status = 'published'", slug.trim())
        .fetch_optional(pool)
        .await?
        .map(ProductId)
        .ok_or(Error::NotFound)
}

/// The key a checkout of the user's cart is placed with: the same for every page
/// showing this cart (two tabs, a reload), new once a checkout with it ended.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn checkout_key(pool: &PgPool, user: UserId) -> Result<Option<uuid::Uuid>> {
    Ok(sqlx::query_scalar!("select checkout_key from carts where user_id = $1", user.0).fetch_optional(pool).await?)
}

/// After a checkout ended: takes what it bought out of the cart (nothing when it
/// failed) and gives the cart a new checkout key.
pub async fn checkout_ended(conn: &mut PgConnection, user: UserId, bought: &[ProductId]) -> Result<()> {
    let ids: Vec<uuid::Uuid> = bought.iter().map(|p| p.0).collect();
    sqlx::query!(
        "delete from cart_items where cart_id = (select id from carts where user_id = $1) and product_id = any($2)",
        user.0,
        &ids
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("update carts set checkout_key = gen_random_uuid(), updated_at = now() where user_id = $1", user.0)
        .execute(conn)
        .await?;
    Ok(())
}
