//! Tax ids: normalised, sealed under the data key ring, shown masked, re-sealed when
//! the keys rotate.

use types::{ErrorCode, ids::CreatorId};

use crate::{Result, Services, crypto::Sealed};

/// `DE 123-456.789` and `de123456789` are the same id.
pub fn normalise(raw: &str) -> Result<String, ErrorCode> {
    let id: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '/')).collect::<String>().to_uppercase();
    if id.is_empty() {
        return Err(ErrorCode::Required);
    }
    if !(5..=30).contains(&id.len()) || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ErrorCode::TaxIdInvalid);
    }
    Ok(id)
}

/// The characters kept in the clear for the masked display.
pub fn last4(id: &str) -> String {
    id[id.len().saturating_sub(4)..].to_owned()
}

/// The associated data binding a sealed tax id to its creator row.
pub fn context(creator: CreatorId) -> [u8; 16] {
    *creator.0.as_bytes()
}

/// Re-seals every tax id not sealed under the current key, in batches; returns how
/// many were re-sealed. Safe to run while the site serves and to run again.
#[tracing::instrument(skip_all)]
pub async fn rotate(services: &Services) -> Result<u64> {
    let keys = &services.data_keys;
    let mut done = 0;
    loop {
        let mut tx = services.pool.begin().await?;
        let rows = sqlx::query!(
            r#"select id, tax_id_ciphertext as "ciphertext!", tax_id_key_id as "key_id!" from creators
               where tax_id_key_id is not null and tax_id_key_id <> $1
               limit 200 for update skip locked"#,
            keys.current_id()
        )
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            let ctx = context(CreatorId(row.id));
            let plain = keys.open(&Sealed { key_id: row.key_id, bytes: row.ciphertext }, &ctx)?;
            let sealed = keys.seal(&plain, &ctx)?;
            sqlx::query!(
                "update creators set tax_id_ciphertext = $2, tax_id_key_id = $3 where id = $1",
                row.id,
                sealed.bytes,
                sealed.key_id
            )
            .execute(&mut *tx)
            .await?;
            done += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_ids_are_normalised_and_checked() {
        assert_eq!(normalise(" de 123-456.789 ").expect("ok"), "DE123456789");
        assert_eq!(normalise("  "), Err(ErrorCode::Required));
        assert_eq!(normalise("12"), Err(ErrorCode::TaxIdInvalid));
        assert_eq!(normalise("DE12345678<script>"), Err(ErrorCode::TaxIdInvalid));
        assert_eq!(last4("DE123456789"), "6789");
    }
}
