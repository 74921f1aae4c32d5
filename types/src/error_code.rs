use serde::{Deserialize, Serialize};

/// Every failure a user can be told about. The server sends codes, never prose, and
/// the browser renders them in the reader's language; internal causes stay in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    #[error("some fields need attention")]
    InvalidInput,
    #[error("this field is required")]
    Required,
    #[error("this is too long")]
    TooLong,
    #[error("not a valid email address")]
    EmailInvalid,
    #[error("password too short")]
    PasswordTooShort,
    #[error("password too long")]
    PasswordTooLong,
    #[error("password too weak")]
    PasswordTooWeak,
    #[error("password contains the email")]
    PasswordContainsEmail,
    #[error("passwords do not match")]
    PasswordMismatch,
    #[error("not a valid web address")]
    UrlInvalid,
    #[error("wrong email or password")]
    InvalidCredentials,
    #[error("the current password is wrong")]
    WrongCurrentPassword,
    #[error("the account is disabled")]
    AccountDisabled,
    #[error("too many attempts")]
    TooManyAttempts,
    #[error("the link is invalid or was already used")]
    TokenInvalid,
    #[error("the link has expired")]
    TokenExpired,
    #[error("log in first")]
    NotAuthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("the request was refused")]
    BadRequest,
    #[error("the request came from another site")]
    CrossSiteRequest,
    #[error("someone changed this at the same time")]
    Conflict,
    #[error("not a whole number")]
    NotANumber,
    #[error("the upper bound is below the lower bound")]
    RangeInverted,
    #[error("there is no such page")]
    PageOutOfRange,
    #[error("unknown role")]
    UnknownRole,
    #[error("nobody changes their own roles")]
    OwnRoles,
    #[error("the last admin cannot be removed")]
    LastAdmin,
    #[error("this kind of file is not accepted")]
    FileTypeNotAllowed,
    #[error("the file is too large")]
    FileTooLarge,
    #[error("the file is damaged or not what it claims to be")]
    FileBroken,
    #[error("the file name is not allowed")]
    FileNameInvalid,
    #[error("the upload is missing parts")]
    UploadIncomplete,
    #[error("not an amount")]
    NotAnAmount,
    #[error("out of range")]
    OutOfRange,
    #[error("a picture is needed")]
    ImageRequired,
    #[error("not a valid tax id")]
    TaxIdInvalid,
    #[error("not a two-letter country code")]
    CountryInvalid,
    #[error("not a valid phone number")]
    PhoneInvalid,
    #[error("this is waiting for review or already approved")]
    AlreadyInReview,
    #[error("say what needs to change")]
    FeedbackRequired,
    #[error("another reviewer is working on this")]
    ClaimedByOther,
    #[error("this was already decided")]
    AlreadyDecided,
    #[error("not a valid date")]
    DateInvalid,
    #[error("this date has not come yet")]
    DateInFuture,
    #[error("this date has passed")]
    DateInPast,
    #[error("only a published product can do this")]
    NotPublished,
    #[error("record at least one test result first")]
    ResultsRequired,
    #[error("sold out")]
    SoldOut,
    #[error("the cart is empty")]
    CartEmpty,
    #[error("the cart holds more than one currency")]
    MixedCurrencies,
    #[error("not a valid card number")]
    CardInvalid,
    #[error("the card has expired")]
    CardExpired,
    #[error("the card was declined")]
    CardDeclined,
    #[error("the payment provider could not be reached")]
    PaymentUnavailable,
    #[error("the payment was not confirmed in time")]
    CheckoutExpired,
    #[error("the address book is full")]
    AddressBookFull,
    #[error("the cart changed since it was reviewed")]
    CartChanged,
    #[error("more than is left to refund")]
    RefundTooLarge,
    #[error("not possible in the order's current status")]
    OrderStatusConflict,
    #[error("below the minimum payout")]
    BelowMinimumPayout,
    #[error("more than the available balance")]
    ExceedsAvailable,
    #[error("not possible in the payout's current status")]
    PayoutStatusConflict,
    #[error("this delivery is on its way or cannot be sent again")]
    DeliveryNotResendable,
    #[error("the account cannot be closed yet")]
    AccountNotClosable,
    #[error("text messages cannot be sent now")]
    SmsUnavailable,
    #[error("push notifications are not offered here")]
    PushUnavailable,
    #[error("the browser's push service is not one this site sends to")]
    PushServiceRefused,
    #[error("that device no longer takes notifications")]
    PushDeviceGone,
    #[error("the push service did not take the message just now")]
    PushNotTaken,
    #[error("the code has expired: ask for a new one")]
    CodeExpired,
    #[error("that is not the code we sent")]
    CodeWrong,
    #[error("the template was changed since it was opened")]
    TemplateChanged,
    #[error("the template names a variable its kind does not offer")]
    TemplateUnknownVariable,
    #[error("the template leaves out a variable its message needs")]
    TemplateMissingVariable,
    #[error("a {{ in the template has no matching }}, or names nothing")]
    TemplateMalformed,
    #[error("this can be rated once it has been delivered")]
    NotDelivered,
    #[error("already rated")]
    AlreadyRated,
    #[error("you cannot rate your own products")]
    OwnProduct,
    #[error("submitted by you or your shop: another person decides")]
    OwnCase,
    #[error("makers cannot buy their own products")]
    OwnListing,
    #[error("the picture has more pixels than a product photo needs")]
    ImageTooLarge,
    #[error("the account's file storage is full")]
    StorageQuotaExceeded,
    #[error("this was changed since the version you sent")]
    VersionMismatch,
    #[error("too many access tokens")]
    TooManyTokens,
    #[error("this scope is not yours to give")]
    ScopeNotAllowed,
    #[error("too many webhook endpoints")]
    TooManyEndpoints,
    #[error("something went wrong on our side")]
    Internal,
    #[error("the server could not be reached")]
    Unreachable,
}

impl ErrorCode {
    /// The HTTP status that fits the error.
    pub fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            NotAuthenticated | InvalidCredentials => 401,
            Forbidden | CrossSiteRequest => 403,
            NotFound => 404,
            Conflict | LastAdmin => 409,
            VersionMismatch => 412,
            TooManyAttempts => 429,
            FileTooLarge | StorageQuotaExceeded => 413,
            FileTypeNotAllowed => 415,
            UploadIncomplete | AlreadyInReview | ClaimedByOther | AlreadyDecided | NotPublished | SoldOut => 409,
            CartEmpty | MixedCurrencies | CartChanged | CheckoutExpired | OrderStatusConflict => 409,
            NotDelivered | AlreadyRated | PayoutStatusConflict | DeliveryNotResendable | AccountNotClosable => 409,
            TemplateChanged | PushDeviceGone => 409,
            SmsUnavailable | PushUnavailable | PushNotTaken => 503,
            OwnProduct | OwnCase | OwnRoles | OwnListing => 403,
            CardDeclined => 402,
            PaymentUnavailable => 503,
            Internal | Unreachable => 500,
            InvalidInput
            | CodeExpired
            | CodeWrong
            | PushServiceRefused
            | TemplateUnknownVariable
            | TemplateMissingVariable
            | TemplateMalformed
            | Required
            | TooLong
            | EmailInvalid
            | PasswordTooShort
            | PasswordTooLong
            | PasswordTooWeak
            | PasswordContainsEmail
            | PasswordMismatch
            | UrlInvalid
            | WrongCurrentPassword
            | NotANumber
            | RangeInverted
            | PageOutOfRange
            | FileBroken
            | ImageTooLarge
            | FileNameInvalid
            | TaxIdInvalid
            | NotAnAmount
            | OutOfRange
            | ImageRequired
            | CountryInvalid
            | PhoneInvalid
            | FeedbackRequired
            | DateInvalid
            | DateInFuture
            | DateInPast
            | ResultsRequired
            | CardInvalid
            | CardExpired
            | RefundTooLarge
            | BelowMinimumPayout
            | ExceedsAvailable
            | AddressBookFull
            | TooManyTokens
            | ScopeNotAllowed
            | TooManyEndpoints => 422,
            AccountDisabled | TokenInvalid | TokenExpired | BadRequest | UnknownRole => 400,
        }
    }
}

/// A problem with one form field, shown next to that field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: ErrorCode,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: ErrorCode) -> Self {
        Self { field: field.into(), code }
    }
}
