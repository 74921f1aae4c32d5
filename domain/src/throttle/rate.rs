//! Rate limits for traffic too frequent to count in PostgreSQL (searches, uploads,
//! server functions, webhooks): the generic cell rate algorithm per key, in memory.
//! Each instance enforces its share of the store-wide limit (the limit divided by the
//! instances running, [`super::instances`]); behind a balancer that spreads requests
//! evenly the shares add up to the limit, without a database write per request.

use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicU32, Ordering},
    },
    time::{Duration, Instant},
};

/// A store-wide limit: a steady rate, and how many may come at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub per_second: f64,
    pub burst: u32,
}

/// What is left of a key's limit after a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    /// Requests this instance takes at once.
    pub limit: u32,
    /// Requests that may follow at once.
    pub remaining: u32,
    /// Until the whole burst is available again.
    pub full_in: Duration,
}

/// Buckets are dropped once full again; the map is swept when it has doubled.
const FIRST_SWEEP: usize = 1024;

#[derive(Debug)]
pub struct RateLimiter {
    /// Per key, the theoretical arrival time of its next request.
    buckets: Mutex<Buckets>,
    instances: AtomicU32,
}

#[derive(Debug)]
struct Buckets {
    next_arrival: HashMap<String, Instant>,
    sweep_at: usize,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter {
            buckets: Mutex::new(Buckets { next_arrival: HashMap::new(), sweep_at: FIRST_SWEEP }),
            instances: AtomicU32::new(1),
        }
    }
}

impl RateLimiter {
    /// How many instances share each limit (at least one).
    pub fn instances(&self) -> u32 {
        self.instances.load(Ordering::Relaxed)
    }

    pub fn set_instances(&self, running: u32) {
        self.instances.store(running.max(1), Ordering::Relaxed);
    }

    /// Takes one request for `key`, or says how long until the next is allowed.
    pub fn check(&self, key: &str, limit: Limit, now: Instant) -> Result<(), Duration> {
        self.take(key, limit, now).map(drop)
    }

    /// Takes one request for `key` and says what is left, or how long until the next
    /// is allowed.
    pub fn take(&self, key: &str, limit: Limit, now: Instant) -> Result<Allowance, Duration> {
        let share = f64::from(self.instances());
        let interval = Duration::from_secs_f64(share / limit.per_second);
        let burst = (f64::from(limit.burst) / share).floor().max(1.0);
        let tolerance = interval.mul_f64(burst - 1.0);
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let arrival = buckets.next_arrival.get(key).copied().unwrap_or(now).max(now);
        let ahead = arrival - now;
        if ahead > tolerance {
            return Err(ahead - tolerance);
        }
        let next = arrival + interval;
        buckets.next_arrival.insert(key.to_owned(), next);
        if buckets.next_arrival.len() >= buckets.sweep_at {
            buckets.next_arrival.retain(|_, next| *next > now);
            buckets.sweep_at = (buckets.next_arrival.len() * 2).max(FIRST_SWEEP);
        }
        let used = next - now;
        Ok(Allowance {
            limit: burst as u32,
            remaining: ((tolerance + interval).saturating_sub(used).as_secs_f64() / interval.as_secs_f64()).floor()
                as u32,
            full_in: used,
        })
    }

    /// Keys with a bucket still filling (for tests and metrics).
    pub fn tracked(&self) -> usize {
        self.buckets.lock().map(|b| b.next_arrival.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIVE_A_SECOND: Limit = Limit { per_second: 5.0, burst: 10 };

    fn allowed(limiter: &RateLimiter, key: &str, at: Instant, tries: usize) -> usize {
        (0..tries).filter(|_| limiter.check(key, FIVE_A_SECOND, at).is_ok()).count()
    }

    #[test]
    fn a_burst_passes_then_requests_wait_for_the_rate() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        assert_eq!(allowed(&limiter, "a", start, 50), 10);
        let wait = limiter.check("a", FIVE_A_SECOND, start).expect_err("over the burst");
        assert!(wait > Duration::from_millis(150) && wait <= Duration::from_millis(200), "{wait:?}");
        // A second later, five more.
        assert_eq!(allowed(&limiter, "a", start + Duration::from_secs(1), 50), 5);
        // Other keys are not affected.
        assert_eq!(allowed(&limiter, "b", start, 50), 10);
    }

    #[test]
    fn each_request_says_how_many_may_follow_and_when_all_are_back() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        let first = limiter.take("a", FIVE_A_SECOND, start).expect("first");
        assert_eq!((first.limit, first.remaining), (10, 9));
        assert_eq!(first.full_in, Duration::from_millis(200));
        for _ in 0..8 {
            limiter.take("a", FIVE_A_SECOND, start).expect("within the burst");
        }
        let last = limiter.take("a", FIVE_A_SECOND, start).expect("the tenth");
        assert_eq!(last.remaining, 0);
        assert_eq!(last.full_in, Duration::from_secs(2));
        // After a fifth of a second one more may come.
        assert_eq!(
            limiter.take("a", FIVE_A_SECOND, start + Duration::from_millis(200)).expect("refilled").remaining,
            0
        );
    }

    #[test]
    fn each_of_several_instances_allows_its_share() {
        let limiter = RateLimiter::default();
        limiter.set_instances(2);
        let start = Instant::now();
        assert_eq!(allowed(&limiter, "a", start, 50), 5);
        assert_eq!(allowed(&limiter, "a", start + Duration::from_secs(2), 50), 5, "2.5 a second, burst 5");
        // Never less than one at a time, however many instances.
        limiter.set_instances(40);
        assert_eq!(allowed(&limiter, "b", start, 50), 1);
        limiter.set_instances(0);
        assert_eq!(limiter.instances(), 1);
    }

    #[test]
    fn idle_keys_are_forgotten() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        for n in 0..FIRST_SWEEP - 1 {
            limiter.check(&format!("visitor-{n}"), FIVE_A_SECOND, start).expect("first request");
        }
        assert_eq!(limiter.tracked(), FIRST_SWEEP - 1);
        limiter.check("late", FIVE_A_SECOND, start + Duration::from_secs(1)).expect("first request");
        assert_eq!(limiter.tracked(), 1, "the full buckets were dropped");
    }
}
