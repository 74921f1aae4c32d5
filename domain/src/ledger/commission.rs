//! The platform's commission. The rate for a line is the creator's own rate if one
//! was agreed, else the rate of the product's category (or its parent's), else the
//! platform default. Rates are basis points (1/100 of a percent).
//!
//! The rounding rule, the only one: commission is computed per order line on the
//! line total and rounded half up to the minor unit (`(total * bps + 5000) / 10000`).
//! A refund takes back commission in proportion, computed on the running total
//! refunded so that refunds adding up to the whole give back exactly the whole
//! commission, never a cent more or less.

use sqlx::PgConnection;
use types::ids::{CreatorId, ProductId};

use crate::Result;

pub const BPS_PER_WHOLE: i64 = 10_000;

/// Commission on `amount` at `bps`, rounded half up.
pub fn on(amount_minor: i64, bps: i32) -> i64 {
    debug_assert!(amount_minor >= 0 && (0..=10_000).contains(&bps));
    (amount_minor * i64::from(bps) + BPS_PER_WHOLE / 2) / BPS_PER_WHOLE
}

/// The commission a refund gives back: the share of the running refunded total,
/// less what earlier refunds gave back.
pub fn on_refund(commission: i64, subtotal: i64, refunded_before: i64, refund: i64) -> i64 {
    let share = |refunded: i64| {
        if subtotal == 0 {
            0
        } else {
            // Rounded half up, like `on`; i128 because commission * refunded may not fit.
            ((i128::from(commission) * i128::from(refunded) * 2 + i128::from(subtotal)) / (2 * i128::from(subtotal)))
                as i64
        }
    };
    share(refunded_before + refund) - share(refunded_before)
}

/// The rate for each product of one creator's lines, in the order given.
pub async fn rates(
    conn: &mut PgConnection,
    creator: CreatorId,
    products: &[ProductId],
    default_bps: i32,
) -> Result<Vec<i32>> {
    let ids: Vec<uuid::Uuid> = products.iter().map(|p| p.0).collect();
    let rows = sqlx::query!(
        r#"select p.id,
                  coalesce(c.commission_bps, own.commission_bps, parent.commission_bps, $3::int) as "bps!"
           from products p
           join creators c on c.id = p.creator_id
           left join categories cat on cat.id = p.category_id
           left join category_commission_rates own on own.category_id = cat.id
           left join category_commission_rates parent on parent.category_id = cat.parent_id
           where p.id = any($1) and c.id = $2"#,
        &ids,
        creator.0,
        default_bps
    )
    .fetch_all(conn)
    .await?;
    Ok(products.iter().map(|p| rows.iter().find(|r| r.id == p.0).map_or(default_bps, |r| r.bps)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commission_rounds_half_up_to_the_cent() {
        assert_eq!(on(10_000, 1_000), 1_000);
        assert_eq!(on(12_345, 1_000), 1_235, "1,234.5 cents rounds up");
        assert_eq!(on(12_344, 1_000), 1_234);
        assert_eq!(on(1, 4_999), 0);
        assert_eq!(on(1, 5_000), 1);
        assert_eq!(on(99_999, 0), 0);
        assert_eq!(on(99_999, 10_000), 99_999);
    }

    #[test]
    fn refunds_give_back_exactly_the_commission_in_all() {
        let (subtotal, commission) = (10_001, on(10_001, 1_250));
        let parts = [3_333, 3_333, 3_335];
        let mut before = 0;
        let mut back = 0;
        for part in parts {
            back += on_refund(commission, subtotal, before, part);
            before += part;
        }
        assert_eq!(before, subtotal);
        assert_eq!(back, commission);
        assert_eq!(on_refund(commission, subtotal, 0, subtotal), commission);
        assert_eq!(on_refund(0, subtotal, 0, 500), 0);
    }
}
