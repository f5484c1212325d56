//! The stable in-place sort behind `Array<Int>.sort` and `Array<Float>.sort`
//! (`std@bsort_i32`, `std@bsort_f64`).
//!
//! The comparator is Haxe code and may print, count or throw, so which pairs it sees, in
//! which order and with which argument first, is observable. HashLink's natives use the
//! same scheme as Haxe's own `haxe.ds.ArraySort` (which sorts the other arrays), and so
//! does this module:
//! - a range shorter than 12 elements is sorted by insertion: each new element is compared
//!   (as the first argument) with its left neighbour and swapped left while it is smaller;
//! - a longer range sorts both halves (split at the midpoint, rounded down) and merges them
//!   without a buffer: when both parts together hold two elements, one comparison
//!   (right element first) decides a swap; otherwise the longer part is cut in half, the
//!   other part is split by a binary search for the cut element (lower bound when cutting
//!   the left part, upper bound when cutting the right part), the two middle blocks are
//!   rotated, and both sides are merged again.
//!
//! Comparisons that return a negative number mean "less than"; everything else keeps the
//! order, which makes the sort stable. The elements are moved in the array itself, so a
//! comparator that reads the array, or throws, sees exactly HashLink's intermediate state.

use crate::vm::Exc;

/// The elements being sorted, read and written in place (the comparator may look at the
/// array while it is sorted, and sees every intermediate state, as on HashLink).
pub(crate) trait SortTarget {
    /// The element type (an Int or Float slot).
    type Item: Copy;
    /// Element `i`.
    fn get(&mut self, i: usize) -> Self::Item;
    /// Stores element `i`.
    fn set(&mut self, i: usize, v: Self::Item);
    /// The comparator (negative: `a` goes first).
    fn compare(&mut self, a: Self::Item, b: Self::Item) -> Result<i32, Exc>;
}

/// Sorts the `len` elements of `t` in place. A comparator error stops the sort, leaving
/// the elements partly sorted (every element still there).
pub(crate) fn sort<S: SortTarget>(t: &mut S, len: usize) -> Result<(), Exc> {
    Sorter { t }.sort_range(0, len)
}

/// [`sort`] over a slice with a comparator closure.
#[cfg(test)]
pub(crate) fn sort_by<T: Copy>(v: &mut [T], cmp: &mut dyn FnMut(T, T) -> Result<i32, Exc>) -> Result<(), Exc> {
    struct SliceTarget<'a, 'c, T> {
        v: &'a mut [T],
        cmp: &'c mut dyn FnMut(T, T) -> Result<i32, Exc>,
    }
    impl<T: Copy> SortTarget for SliceTarget<'_, '_, T> {
        type Item = T;
        fn get(&mut self, i: usize) -> T {
            self.v[i]
        }
        fn set(&mut self, i: usize, v: T) {
            self.v[i] = v;
        }
        fn compare(&mut self, a: T, b: T) -> Result<i32, Exc> {
            (self.cmp)(a, b)
        }
    }
    let len = v.len();
    sort(&mut SliceTarget { v, cmp }, len)
}

struct Sorter<'a, S> {
    t: &'a mut S,
}

impl<S: SortTarget> Sorter<'_, S> {
    /// True when element `a` must go before element `b`.
    fn less(&mut self, a: usize, b: usize) -> Result<bool, Exc> {
        let (x, y) = (self.t.get(a), self.t.get(b));
        Ok(self.t.compare(x, y)? < 0)
    }

    fn swap(&mut self, a: usize, b: usize) {
        let (x, y) = (self.t.get(a), self.t.get(b));
        self.t.set(a, y);
        self.t.set(b, x);
    }

    fn sort_range(&mut self, from: usize, to: usize) -> Result<(), Exc> {
        if to.saturating_sub(from) < 12 {
            for i in from + 1..to {
                let mut j = i;
                while j > from && self.less(j, j - 1)? {
                    self.swap(j - 1, j);
                    j -= 1;
                }
            }
            return Ok(());
        }
        let middle = from + (to - from) / 2;
        self.sort_range(from, middle)?;
        self.sort_range(middle, to)?;
        self.merge(from, middle, to)
    }

    /// Merges the sorted runs `[from, pivot)` and `[pivot, to)`.
    fn merge(&mut self, from: usize, pivot: usize, to: usize) -> Result<(), Exc> {
        let (left, right) = (pivot - from, to - pivot);
        if left == 0 || right == 0 {
            return Ok(());
        }
        if left + right == 2 {
            if self.less(pivot, from)? {
                self.swap(pivot, from);
            }
            return Ok(());
        }
        let (cut_left, cut_right) = if left > right {
            let cut_left = from + left / 2;
            (cut_left, self.first_not_less(pivot, to, cut_left)?)
        } else {
            let cut_right = pivot + right / 2;
            (self.first_greater(from, pivot, cut_right)?, cut_right)
        };
        // [cut_left, pivot) and [pivot, cut_right) swap places.
        let mut block: Vec<S::Item> = (cut_left..cut_right).map(|i| self.t.get(i)).collect();
        block.rotate_left(pivot - cut_left);
        for (k, v) in block.into_iter().enumerate() {
            self.t.set(cut_left + k, v);
        }
        let new_mid = cut_left + (cut_right - pivot);
        self.merge(from, cut_left, new_mid)?;
        self.merge(new_mid, cut_right, to)
    }

    /// Lower bound: the first index of `[lo, hi)` whose element is not less than element `key`.
    fn first_not_less(&mut self, mut lo: usize, hi: usize, key: usize) -> Result<usize, Exc> {
        let mut len = hi - lo;
        while len > 0 {
            let half = len / 2;
            let mid = lo + half;
            if self.less(mid, key)? {
                lo = mid + 1;
                len -= half + 1;
            } else {
                len = half;
            }
        }
        Ok(lo)
    }

    /// Upper bound: the first index of `[lo, hi)` whose element element `key` is less than.
    fn first_greater(&mut self, mut lo: usize, hi: usize, key: usize) -> Result<usize, Exc> {
        let mut len = hi - lo;
        while len > 0 {
            let half = len / 2;
            let mid = lo + half;
            if self.less(key, mid)? {
                len = half;
            } else {
                lo = mid + 1;
                len -= half + 1;
            }
        }
        Ok(lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_with_log(mut v: Vec<i32>) -> (Vec<i32>, Vec<(i32, i32)>) {
        let mut log = Vec::new();
        sort_by(&mut v, &mut |a, b| {
            log.push((a, b));
            Ok(a - b)
        })
        .unwrap();
        (v, log)
    }

    #[test]
    fn small_ranges_use_insertion_with_the_new_element_first() {
        let (v, log) = sorted_with_log(vec![3, 1, 2]);
        assert_eq!(v, [1, 2, 3]);
        // HashLink 1.17 logs `1,3 2,3 2,1` for [3,1,2].
        assert_eq!(log, [(1, 3), (2, 3), (2, 1)]);
    }

    #[test]
    fn sorts_and_stays_stable_on_long_inputs() {
        let mut seed = 12345u32;
        let mut items: Vec<(i32, usize)> = (0..500)
            .map(|i| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (((seed >> 16) % 20) as i32, i)
            })
            .collect();
        sort_by(&mut items, &mut |a, b| Ok(a.0 - b.0)).unwrap();
        assert!(items.windows(2).all(|w| w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1)));
    }

    #[test]
    fn reversed_eight_takes_the_reference_call_count() {
        let (v, log) = sorted_with_log((1..=8).rev().collect());
        assert_eq!(v, (1..=8).collect::<Vec<_>>());
        assert_eq!(log.len(), 28);
    }

    #[test]
    fn a_failing_comparator_keeps_every_element() {
        let mut v: Vec<i32> = (0..40).rev().collect();
        let mut n = 0;
        let r = sort_by(&mut v, &mut |a, b| {
            n += 1;
            if n == 30 {
                Err(Exc::Internal("stop".into()))
            } else {
                Ok(a - b)
            }
        });
        assert!(r.is_err());
        let mut all = v.clone();
        all.sort();
        assert_eq!(all, (0..40).collect::<Vec<_>>());
    }
}
