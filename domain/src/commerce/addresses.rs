//! Saved shipping addresses, kept in the customer's profile and offered at checkout.
//! An order copies the address it ships to, so editing or deleting one later never
//! changes an order. Owns `addresses`.

use sqlx::PgPool;
use types::{
    checkout::SavedAddress,
    ids::{AddressId, UserId},
    orders::ShipTo,
};

use crate::{Error, Result, fields};

/// Most addresses one customer keeps.
pub const MAX_ADDRESSES: i64 = 20;

/// Checks every field and reports all problems at once, each on its field.
pub fn validate(input: &ShipTo) -> Result<ShipTo> {
    let mut errors = Vec::new();
    let address = ShipTo {
        full_name: fields::text("full_name", &input.full_name, true, 120, &mut errors),
        line1: fields::text("line1", &input.line1, true, 200, &mut errors),
        line2: fields::text("line2", &input.line2, false, 200, &mut errors),
        city: fields::text("city", &input.city, true, 100, &mut errors),
        region: fields::text("region", &input.region, false, 100, &mut errors),
        postal_code: fields::text("postal_code", &input.postal_code, true, 20, &mut errors),
        country: fields::country("country", &input.country, &mut errors),
        phone: fields::phone("phone", &input.phone, &mut errors),
    };
    if errors.is_empty() { Ok(address) } else { Err(Error::Validation(errors)) }
}

#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn list(pool: &PgPool, user: UserId) -> Result<Vec<SavedAddress>> {
    let rows = sqlx::query!(
        "select id, full_name, line1, line2, city, region, postal_code, country, phone
         from addresses where user_id = $1 order by created_at desc",
        user.0
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SavedAddress {
            id: AddressId(r.id),
            address: ShipTo {
                full_name: r.full_name,
                line1: r.line1,
                line2: r.line2,
                city: r.city,
                region: r.region,
                postal_code: r.postal_code,
                country: r.country,
                phone: r.phone,
            },
        })
        .collect())
}

/// One of the user's own addresses; someone else's is not found.
#[tracing::instrument(skip_all, fields(user = %user, id = %id))]
pub async fn get(pool: &PgPool, user: UserId, id: AddressId) -> Result<ShipTo> {
    list(pool, user).await?.into_iter().find(|a| a.id == id).map(|a| a.address).ok_or(Error::NotFound)
}

/// Saves a new address (checked first); the same address twice is kept once.
#[tracing::instrument(skip_all, fields(user = %user))]
pub async fn save(pool: &PgPool, user: UserId, input: &ShipTo) -> Result<AddressId> {
    let a = validate(input)?;
    let mut tx = pool.begin().await?;
    // Serialises one user's saves, so the cap holds with two tabs.
    sqlx::query!("select id from users where id = $1 for update", user.0).fetch_one(&mut *tx).await?;
    let count = sqlx::query_scalar!(r#"select count(*) as "n!" from addresses where user_id = $1"#, user.0)
        .fetch_one(&mut *tx)
        .await?;
    // The same address again is the one already kept, however many there are.
    let id = sqlx::query_scalar!(
        r#"with same as (
               select id from addresses where user_id = $2 and full_name = $3 and line1 = $4 and line2 = $5
                   and city = $6 and region = $7 and postal_code = $8 and country = $9 and phone = $10),
           added as (
               insert into addresses (id, user_id, full_name, line1, line2, city, region, postal_code, country, phone)
               select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
               where not exists (select 1 from same) and $11
               returning id)
           select id as "id!" from same union all select id from added"#,
        AddressId::new().0,
        user.0,
        a.full_name,
        a.line1,
        a.line2,
        a.city,
        a.region,
        a.postal_code,
        a.country,
        a.phone,
        count < MAX_ADDRESSES
    )
    .fetch_optional(&mut *tx)
    .await?
    .map(AddressId)
    .ok_or(Error::field("address", types::ErrorCode::AddressBookFull))?;
    tx.commit().await?;
    Ok(id)
}

#[tracing::instrument(skip_all, fields(user = %user, id = %id))]
pub async fn delete(pool: &PgPool, user: UserId, id: AddressId) -> Result<()> {
    let done = sqlx::query!("delete from addresses where id = $1 and user_id = $2", id.0, user.0).execute(pool).await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}
