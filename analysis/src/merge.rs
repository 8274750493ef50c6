//! Combining partial results: parallel reads give each chunk of the file its own state and
//! merge them afterwards in file order, so anything an analysis accumulates must know how to
//! absorb a later part.

/// A result that can absorb the result of a *later* part of the same input.
pub trait Merge {
    /// Adds `later` (which covers input after `self`'s) into `self`.
    fn merge(&mut self, later: Self);
}

impl Merge for () {
    fn merge(&mut self, _later: ()) {}
}

impl Merge for u64 {
    fn merge(&mut self, later: u64) {
        *self += later;
    }
}

impl Merge for usize {
    fn merge(&mut self, later: usize) {
        *self += later;
    }
}

impl Merge for f64 {
    fn merge(&mut self, later: f64) {
        *self += later;
    }
}

/// Concatenation keeps file order because parts are merged in order.
impl<T> Merge for Vec<T> {
    fn merge(&mut self, mut later: Vec<T>) {
        self.append(&mut later);
    }
}

impl<T: Merge, const N: usize> Merge for [T; N] {
    fn merge(&mut self, later: [T; N]) {
        for (a, b) in self.iter_mut().zip(later) {
            a.merge(b);
        }
    }
}

macro_rules! merge_tuple {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Merge),+> Merge for ($($t,)+) {
            fn merge(&mut self, later: Self) {
                $(self.$i.merge(later.$i);)+
            }
        }
    };
}

merge_tuple!(A 0);
merge_tuple!(A 0, B 1);
merge_tuple!(A 0, B 1, C 2);
merge_tuple!(A 0, B 1, C 2, D 3);
merge_tuple!(A 0, B 1, C 2, D 3, E 4);
