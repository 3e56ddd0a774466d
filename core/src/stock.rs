//! Stock commitment (SPEC §3.2, §3.3): reserving on confirmation, giving free stock to waiting
//! lines oldest confirmation first, releasing the newest reservations when stock shrinks.

use crate::date::Date;
use crate::num::Qty;
use thiserror::Error;

/// A line's uncovered shortfall: what is neither shipped, drop-shipped, reserved nor on an open
/// backorder link; never negative.
pub fn uncovered(
    quantity: Qty,
    shipped: Qty,
    dropshipped: Qty,
    reserved: Qty,
    backordered: Qty,
) -> Qty {
    quantity.sub_floor0(shipped + dropshipped + reserved + backordered)
}

/// Reserves for the lines of one order being confirmed, in line order, each
/// `min(needed, what is still free)`. Returns the reservation per line.
pub fn reserve_on_confirm(mut free: Qty, needs: &[Qty]) -> Vec<Qty> {
    needs
        .iter()
        .map(|need| {
            let r = (*need).min(free).max(Qty::ZERO);
            free -= r;
            r
        })
        .collect()
}

/// The FIFO position of a confirmed line: oldest confirmation first, ties by SO number, then line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FifoKey {
    pub confirmed: Date,
    pub so_id: i64,
    pub line_no: i64,
}

/// A line waiting for stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub key: FifoKey,
    pub line_id: i64,
    pub uncovered: Qty,
}

/// Gives `free` stock to waiting lines, oldest confirmation first. Returns `(line_id, qty)` for
/// every line that gets something; their sum never exceeds `free`.
pub fn allocate_fifo(free: Qty, waiting: &[Waiting]) -> Vec<(i64, Qty)> {
    let mut order: Vec<&Waiting> = waiting
        .iter()
        .filter(|w| w.uncovered.is_positive())
        .collect();
    order.sort_by_key(|w| w.key);
    let mut left = free.max(Qty::ZERO);
    let mut out = Vec::new();
    for w in order {
        if left.is_zero() {
            break;
        }
        let give = w.uncovered.min(left);
        out.push((w.line_id, give));
        left -= give;
    }
    out
}

/// A reservation that could be released (reserved, not packed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Releasable {
    pub key: FifoKey,
    pub line_id: i64,
    pub qty: Qty,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReleaseError {
    #[error(
        "only {available} reserved (and not packed) can be released, {needed} would be needed"
    )]
    NotEnough { needed: Qty, available: Qty },
}

/// Releases `needed` from the newest reservations first. Returns `(line_id, qty)` released.
pub fn release_newest(
    needed: Qty,
    reservations: &[Releasable],
) -> Result<Vec<(i64, Qty)>, ReleaseError> {
    let available: Qty = reservations.iter().map(|r| r.qty.max(Qty::ZERO)).sum();
    if available < needed {
        return Err(ReleaseError::NotEnough { needed, available });
    }
    let mut order: Vec<&Releasable> = reservations
        .iter()
        .filter(|r| r.qty.is_positive())
        .collect();
    order.sort_by_key(|r| std::cmp::Reverse(r.key));
    let mut left = needed;
    let mut out = Vec::new();
    for r in order {
        if !left.is_positive() {
            break;
        }
        let take = r.qty.min(left);
        out.push((r.line_id, take));
        left -= take;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(n: i64) -> Qty {
        Qty::from_raw(n * 1000)
    }
    fn day(d: u32) -> Date {
        Date::from_ymd_opt(2026, 1, d).unwrap_or_default()
    }
    fn w(d: u32, so: i64, line: i64, id: i64, unc: i64) -> Waiting {
        Waiting {
            key: FifoKey {
                confirmed: day(d),
                so_id: so,
                line_no: line,
            },
            line_id: id,
            uncovered: q(unc),
        }
    }

    #[test]
    fn uncovered_never_negative() {
        assert_eq!(uncovered(q(10), q(2), q(1), q(3), q(1)), q(3));
        assert_eq!(uncovered(q(10), q(5), q(0), q(5), q(4)), q(0));
    }

    #[test]
    fn confirm_reserves_what_is_free_in_line_order() {
        let cases = [
            (10, vec![4, 4, 4], vec![4, 4, 2]),
            (0, vec![3], vec![0]),
            (5, vec![2, 1], vec![2, 1]),
            (-2, vec![1], vec![0]),
        ];
        for (free, needs, want) in cases {
            let needs: Vec<Qty> = needs.into_iter().map(q).collect();
            let want: Vec<Qty> = want.into_iter().map(q).collect();
            assert_eq!(reserve_on_confirm(q(free), &needs), want);
        }
    }

    #[test]
    fn fifo_oldest_confirmation_then_so_then_line() {
        let waiting = [
            w(3, 1, 1, 10, 5),
            w(2, 9, 2, 20, 2),
            w(2, 9, 1, 30, 2),
            w(2, 4, 1, 40, 1),
        ];
        assert_eq!(
            allocate_fifo(q(4), &waiting),
            vec![(40, q(1)), (30, q(2)), (20, q(1))]
        );
        assert_eq!(allocate_fifo(q(0), &waiting), vec![]);
        assert_eq!(
            allocate_fifo(q(100), &waiting)
                .iter()
                .map(|x| x.1)
                .sum::<Qty>(),
            q(10)
        );
    }

    #[test]
    fn release_takes_newest_first_and_refuses_when_not_enough() {
        let r = |d, so, id, n| Releasable {
            key: FifoKey {
                confirmed: day(d),
                so_id: so,
                line_no: 1,
            },
            line_id: id,
            qty: q(n),
        };
        let res = [r(1, 1, 1, 3), r(5, 2, 2, 2), r(5, 3, 3, 1)];
        assert_eq!(release_newest(q(2), &res), Ok(vec![(3, q(1)), (2, q(1))]));
        assert!(release_newest(q(7), &res).is_err());
    }

    proptest! {
        #[test]
        fn fifo_never_gives_more_than_free_or_needed(
            free in 0i64..50_000,
            lines in proptest::collection::vec((1u32..28, 1i64..50, 0i64..20_000), 0..20)
        ) {
            let waiting: Vec<Waiting> = lines.iter().enumerate().map(|(i, (d, so, unc))| Waiting {
                key: FifoKey { confirmed: day(*d), so_id: *so, line_no: i as i64 },
                line_id: i as i64,
                uncovered: Qty::from_raw(*unc),
            }).collect();
            let out = allocate_fifo(Qty::from_raw(free), &waiting);
            let total: Qty = out.iter().map(|x| x.1).sum();
            prop_assert!(total <= Qty::from_raw(free));
            let needed: Qty = waiting.iter().map(|w| w.uncovered).sum();
            prop_assert_eq!(total, needed.min(Qty::from_raw(free)));
            for (id, give) in out {
                prop_assert!(give <= waiting[id as usize].uncovered);
            }
        }
    }
}
