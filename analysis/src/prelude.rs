//! One import for analysis cells: `use collm_analysis::prelude::*;` brings the types, the
//! kinematic methods (`pt()`, `delta_r()`, ...), the physics functions and the `lhco` module.

pub use crate::cutflow::Cutflow;
pub use crate::event::{Event, Kind, Object};
pub use crate::features::{CsvWriter, Features};
pub use crate::hist::Hist1D;
pub use crate::kinematics::{Kinematics, P4};
pub use crate::lhco::{self, Mode, ReadReport};
pub use crate::merge::Merge;
pub use crate::objects::{Objects, Pair, PairsExt};
pub use crate::output::{self, OutputError};
pub use crate::physics::{
    delta_eta, delta_phi, delta_phi_angles, delta_r, inv_mass, mass_of, mt, scalar_ht, wrap_phi,
    BTag, M_H, M_TOP, M_W, M_Z,
};

#[cfg(test)]
mod tests {
    /// The names the `pub use` lines above bring in, read from this file's own text.
    fn exported() -> Vec<String> {
        let text = include_str!("prelude.rs");
        let code = &text[..text.find("#[cfg(test)]").unwrap_or(text.len())];
        let mut names = Vec::new();
        for item in code.split("pub use ").skip(1) {
            let item = &item[..item.find(';').unwrap_or(item.len())];
            let list = match (item.find('{'), item.rfind('}')) {
                (Some(a), Some(b)) => &item[a + 1..b],
                _ => item.rsplit("::").next().unwrap_or(item),
            };
            for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let module = item.split("::").nth(1).unwrap_or_default();
                names.push(if name == "self" {
                    module.to_owned()
                } else {
                    name.to_owned()
                });
            }
        }
        names
    }

    #[test]
    fn the_published_name_list_is_the_prelude() {
        let mut listed: Vec<String> = crate::PRELUDE_NAMES.iter().map(|n| n.to_string()).collect();
        let mut found = exported();
        listed.sort();
        found.sort();
        assert_eq!(listed, found);
    }
}
