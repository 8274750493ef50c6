//! ipywidgets models (widget protocol 2.1.0) that the kernel creates itself.
//!
//! The model and view names and versions are those of `@jupyter-widgets/controls`
//! 2.0.0, `@jupyter-widgets/base` 2.0.0 and `@jupyter-widgets/output` 1.0.0, so
//! JupyterLab and VS Code render them with their stock widget manager. Every
//! widget gets its own `LayoutModel` (and a style model where the view expects
//! one), as ipywidgets does, because views look them up by reference.

use serde_json::{json, Map, Value};

/// Widget protocol version sent in `comm_open` metadata.
pub const PROTOCOL_VERSION: &str = "2.1.0";
/// The comm target of widget models.
pub const WIDGET_TARGET: &str = "jupyter.widget";
/// MIME type of a widget view in `display_data`.
pub const VIEW_MIME: &str = "application/vnd.jupyter.widget-view+json";

const CONTROLS: &str = "@jupyter-widgets/controls";
const BASE: &str = "@jupyter-widgets/base";
const OUTPUT: &str = "@jupyter-widgets/output";

/// A model's full state, as sent in `comm_open`.
pub type State = Map<String, Value>;

fn model(module: &str, version: &str, model: &str, view_module: &str, view: &str) -> State {
    let mut s = State::new();
    s.insert("_model_module".into(), json!(module));
    s.insert("_model_module_version".into(), json!(version));
    s.insert("_model_name".into(), json!(model));
    s.insert("_view_module".into(), json!(view_module));
    s.insert(
        "_view_module_version".into(),
        json!(version_of(view_module)),
    );
    s.insert("_view_name".into(), json!(view));
    s.insert("_view_count".into(), Value::Null);
    s
}

fn version_of(module: &str) -> &'static str {
    if module == OUTPUT {
        "1.0.0"
    } else {
        "2.0.0"
    }
}

/// A `@jupyter-widgets/controls` DOM widget with its layout (and style) refs.
fn control(model_name: &str, view: &str, layout: &str, style: Option<&str>) -> State {
    let mut s = model(CONTROLS, "2.0.0", model_name, CONTROLS, view);
    s.insert("_dom_classes".into(), json!([]));
    s.insert("tabbable".into(), Value::Null);
    s.insert("tooltip".into(), Value::Null);
    s.insert("layout".into(), json!(reference(layout)));
    if let Some(style) = style {
        s.insert("style".into(), json!(reference(style)));
    }
    s
}

/// The `IPY_MODEL_<id>` form by which one model refers to another.
pub fn reference(id: &str) -> String {
    format!("IPY_MODEL_{id}")
}

/// `LayoutModel`: every field left to the frontend's default.
pub fn layout() -> State {
    model(BASE, "2.0.0", "LayoutModel", BASE, "LayoutView")
}

/// A style model (`DescriptionStyleModel`, `ButtonStyleModel`, `SliderStyleModel`).
pub fn style(model_name: &str) -> State {
    let mut s = model(CONTROLS, "2.0.0", model_name, BASE, "StyleView");
    s.insert("description_width".into(), json!(""));
    s
}

fn described(mut s: State, description: &str) -> State {
    s.insert("description".into(), json!(description));
    s.insert("description_allow_html".into(), json!(false));
    s.insert("disabled".into(), json!(false));
    s
}

/// `DropdownModel` showing `labels`, with `index` selected.
pub fn dropdown(
    labels: &[&str],
    index: usize,
    description: &str,
    layout: &str,
    style: &str,
) -> State {
    let mut s = described(
        control("DropdownModel", "DropdownView", layout, Some(style)),
        description,
    );
    s.insert("_options_labels".into(), json!(labels));
    s.insert("index".into(), json!(index));
    s
}

/// `BoundedIntTextModel`: an integer field limited to `min..=max`.
pub fn bounded_int_text(
    value: i64,
    min: i64,
    max: i64,
    description: &str,
    layout: &str,
    style: &str,
) -> State {
    let mut s = described(
        control("BoundedIntTextModel", "IntTextView", layout, Some(style)),
        description,
    );
    s.insert("value".into(), json!(value));
    s.insert("min".into(), json!(min));
    s.insert("max".into(), json!(max));
    s.insert("step".into(), json!(1));
    s.insert("continuous_update".into(), json!(false));
    s
}

/// `IntSliderModel` from `min` to `max` in steps of `step`.
#[allow(clippy::too_many_arguments)]
pub fn int_slider(
    value: i64,
    min: i64,
    max: i64,
    step: i64,
    description: &str,
    layout: &str,
    style: &str,
) -> State {
    let mut s = described(
        control("IntSliderModel", "IntSliderView", layout, Some(style)),
        description,
    );
    for (k, v) in [
        ("value", json!(value)),
        ("min", json!(min)),
        ("max", json!(max)),
        ("step", json!(step)),
        ("behavior", json!("drag-tap")),
        ("continuous_update", json!(true)),
        ("orientation", json!("horizontal")),
        ("readout", json!(true)),
        ("readout_format", json!("d")),
    ] {
        s.insert(k.into(), v);
    }
    s
}

/// `ButtonModel`; clicks arrive as `custom` messages with `{"event": "click"}`.
pub fn button(description: &str, button_style: &str, layout: &str, style: &str) -> State {
    let mut s = control("ButtonModel", "ButtonView", layout, Some(style));
    s.insert("description".into(), json!(description));
    s.insert("button_style".into(), json!(button_style));
    s.insert("disabled".into(), json!(false));
    s.insert("icon".into(), json!(""));
    s
}

/// `HTMLModel` showing `value`.
pub fn html(value: &str, layout: &str, style: &str) -> State {
    let mut s = described(control("HTMLModel", "HTMLView", layout, Some(style)), "");
    s.insert("value".into(), json!(value));
    s.insert("placeholder".into(), json!("\u{200b}"));
    s
}

/// `OutputModel`: output messages whose parent is `msg_id` land in it.
pub fn output(layout: &str) -> State {
    let mut s = model(OUTPUT, "1.0.0", "OutputModel", OUTPUT, "OutputView");
    s.insert("_dom_classes".into(), json!([]));
    s.insert("layout".into(), json!(reference(layout)));
    s.insert("msg_id".into(), json!(""));
    s.insert("outputs".into(), json!([]));
    s.insert("tabbable".into(), Value::Null);
    s.insert("tooltip".into(), Value::Null);
    s
}

/// `VBoxModel` (or `HBoxModel` with `horizontal`) holding `children` ids.
pub fn boxed(children: &[String], horizontal: bool, layout: &str) -> State {
    let (m, v) = if horizontal {
        ("HBoxModel", "HBoxView")
    } else {
        ("VBoxModel", "VBoxView")
    };
    let mut s = control(m, v, layout, None);
    let refs: Vec<String> = children.iter().map(|c| reference(c)).collect();
    s.insert("children".into(), json!(refs));
    s.insert("box_style".into(), json!(""));
    s
}

/// The `display_data` bundle that shows a widget's view.
pub fn view_bundle(model_id: &str, text: &str) -> Value {
    json!({
        VIEW_MIME: {"version_major": 2, "version_minor": 0, "model_id": model_id},
        "text/plain": text,
    })
}
