//! The generator of frr-k8s-shaped configurations (`tests::gen`, kept
//! with the reloader's benchmarks): seeded chains are the same on every
//! run, parse, and use documentation addresses only; the generator's
//! random numbers repeat from a seed.

use tests::gen::random::chain;
use tests::rng::Rng;

#[test]
fn chain_is_deterministic_and_parses() {
    let a = chain(42, 20);
    assert_eq!(a, chain(42, 20));
    for (_, text) in &a {
        reloader::Config::parse(text).unwrap();
    }
}

#[test]
fn addresses_come_from_documentation_ranges() {
    for (_, text) in chain(7, 40) {
        for word in text.split_whitespace() {
            if word.chars().next().is_some_and(|c| c.is_ascii_digit())
                && word.contains('.')
                && word.split('.').count() == 4
            {
                let addr = word.split(['/', '-']).next().unwrap();
                let ok = [
                    "192.0.2.",
                    "198.51.100.",
                    "203.0.113.",
                    "198.18.",
                    "198.19.",
                ]
                .iter()
                .any(|p| addr.starts_with(p));
                assert!(ok, "{word}");
            }
        }
    }
}

#[test]
fn is_deterministic() {
    let (mut a, mut b) = (Rng::new(7), Rng::new(7));
    for _ in 0..10 {
        assert_eq!(a.next_u64(), b.next_u64());
    }
    let mut v: Vec<u32> = (0..10).collect();
    Rng::new(1).shuffle(&mut v);
    let mut w: Vec<u32> = (0..10).collect();
    Rng::new(1).shuffle(&mut w);
    assert_eq!(v, w);
}
