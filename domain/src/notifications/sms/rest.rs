//! An adapter for a Twilio-shaped REST API: `POST {base}/2010-04-01/Accounts/{account}/
//! Messages.json` with HTTP Basic auth (account and token) and a form of `To`, `From`,
//! `Body` and `StatusCallback`; the answer's `sid` names the message in the delivery
//! reports the provider later posts to `StatusCallback`.

use anyhow::{Context, bail};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use super::{REPORTS_PATH, Sms, SmsGateway};

/// Where and as whom to send.
pub struct RestSms {
    client: reqwest::Client,
    /// The API's root, `https://api.twilio.com` or a compatible one.
    base: String,
    account: String,
    token: SecretString,
    /// The sender number or name.
    from: String,
    /// Our address for the reports: `{base_url}/webhooks/sms`.
    callback: String,
}

impl RestSms {
    pub fn new(base: &str, account: &str, token: SecretString, from: &str, site: &str) -> anyhow::Result<RestSms> {
        crate::crypto::use_ring_for_tls();
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .context("an HTTP client for the SMS provider")?;
        Ok(RestSms {
            client,
            base: base.trim_end_matches('/').to_owned(),
            account: account.to_owned(),
            token,
            from: from.to_owned(),
            callback: format!("{site}{REPORTS_PATH}"),
        })
    }
}

#[derive(Deserialize)]
struct Created {
    sid: String,
}

#[derive(Deserialize)]
struct Refused {
    #[serde(default)]
    code: Option<i64>,
    #[serde(default)]
    message: String,
}

#[async_trait::async_trait]
impl SmsGateway for RestSms {
    async fn send(&self, sms: &Sms) -> anyhow::Result<String> {
        let url = format!("{}/2010-04-01/Accounts/{}/Messages.json", self.base, self.account);
        let form = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("To", &sms.to)
            .append_pair("From", &self.from)
            .append_pair("Body", &sms.body)
            .append_pair("StatusCallback", &self.callback)
            .finish();
        let response = self
            .client
            .post(&url)
            .basic_auth(&self.account, Some(self.token.expose_secret()))
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .context("reaching the SMS provider")?;
        let status = response.status();
        let body = response.bytes().await.context("reading the SMS provider's answer")?;
        if !status.is_success() {
            // The provider's words, never the request (it holds the number).
            let refused: Option<Refused> = serde_json::from_slice(&body).ok();
            let (code, message) = refused.map(|r| (r.code, r.message)).unwrap_or_default();
            bail!("the SMS provider answered {status} ({code:?}: {message})");
        }
        let created: Created = serde_json::from_slice(&body).context("reading the SMS provider's answer")?;
        Ok(created.sid)
    }
}
