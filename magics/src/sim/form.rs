//! The `%simulate` form: ipywidgets controls for channel, events, pileup and seed, a quote that
//! follows every change, Submit and Refresh-status buttons, and an Output area for the answers.
//!
//! Widget events arrive without a cell, so the handlers talk to the service directly and put
//! what they have to say into the Output widget's `outputs` (a synced state key), which every
//! frontend renders, a reloaded page included.

use super::service::SessionService;
use super::show;
use crate::context::MagicContext;
use crate::magic::MagicError;
use collm_client::contract::{self, SimulateBody};
use collm_client::{Channel, Service};
use collm_widgets::{
    bounded_int_text, boxed, button, dropdown, html, int_slider, layout, output, style,
    view_bundle, EventFn, Outgoing, State, WidgetEvent, WidgetStore,
};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// The model ids of the form's parts.
struct Ids {
    channel: String,
    events: String,
    pileup: String,
    seed: String,
    quote: String,
    output: String,
}

/// What the form's handlers share.
struct Form {
    service: SessionService,
    ids: OnceLock<Ids>,
    /// The newest request submitted from this form, for Refresh.
    last: Mutex<Option<String>>,
    /// The balance as last seen, for the quote.
    balance: Mutex<Option<f64>>,
    /// Whether the backend is the embedded one (its ETA is the farm's, its runs take seconds).
    local: bool,
}

/// The channel shown first: the cheapest standard candle.
const DEFAULT_CHANNEL: Channel = Channel::Zmumu;
const DEFAULT_EVENTS: u32 = 1000;

impl Form {
    fn ids(&self) -> Option<&Ids> {
        self.ids.get()
    }

    /// The request the fields describe, or what is wrong with them.
    fn body(&self, store: &WidgetStore) -> Result<SimulateBody, String> {
        let ids = self.ids().ok_or("the form is still being built")?;
        let int = |id: &str, what: &str| -> Result<i64, String> {
            store
                .get(id, if what == "channel" { "index" } else { "value" })
                .and_then(|v| v.as_i64())
                .ok_or_else(|| format!("{what}: not a whole number"))
        };
        let index = int(&ids.channel, "channel")?;
        let channel = usize::try_from(index)
            .ok()
            .and_then(|i| Channel::ALL.get(i).copied())
            .ok_or_else(|| format!("channel: no channel at position {index}"))?;
        let events = u32::try_from(int(&ids.events, "events")?)
            .map_err(|_| "events: must be 1–100000".to_owned())?;
        let pileup = u32::try_from(int(&ids.pileup, "pileup")?)
            .map_err(|_| "pileup: must be 0–200".to_owned())?;
        let seed = u64::try_from(int(&ids.seed, "seed")?)
            .map_err(|_| "seed: must not be negative".to_owned())?;
        let body = SimulateBody {
            channel,
            events,
            pileup,
            seed,
        };
        body.check()
            .map_err(|(field, why)| format!("{field}: {why}"))?;
        Ok(body)
    }

    /// The quote line for the current fields (the published price formula, so it follows a
    /// slider without a round trip per step).
    fn quote_html(&self, store: &WidgetStore) -> String {
        match self.body(store) {
            Ok(b) => {
                let e = contract::estimate(b.channel, b.events, b.pileup);
                let balance = *self.balance.lock().unwrap_or_else(PoisonError::into_inner);
                show::quote(&b, &e, balance, self.local)["text/html"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            }
            Err(why) => format!(
                "<span style=\"color:#b00\">{}</span>",
                collm_analysis::text::html_escape(&why)
            ),
        }
    }

    fn requote(&self, store: &WidgetStore, out: &mut Vec<Outgoing>) {
        if let Some(ids) = self.ids() {
            out.push(store.set(&ids.quote, "value", json!(self.quote_html(store))));
        }
    }

    /// Appends one output (a display bundle or an error line) to the Output area.
    fn say(&self, store: &WidgetStore, out: &mut Vec<Outgoing>, item: Value) {
        let Some(ids) = self.ids() else { return };
        let mut outputs = store
            .get(&ids.output, "outputs")
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        outputs.push(item);
        out.push(store.set(&ids.output, "outputs", Value::Array(outputs)));
    }

    fn show(&self, store: &WidgetStore, out: &mut Vec<Outgoing>, bundle: Value) {
        self.say(
            store,
            out,
            json!({"output_type": "display_data", "data": bundle, "metadata": {}}),
        );
    }

    fn error(&self, store: &WidgetStore, out: &mut Vec<Outgoing>, text: &str) {
        self.say(
            store,
            out,
            json!({"output_type": "stream", "name": "stderr", "text": format!("{text}\n")}),
        );
    }

    fn refresh_balance(&self) {
        let seen = self
            .service
            .call_with(&mut |_| {}, |c| c.me())
            .ok()
            .map(|u| u.credits);
        *self.balance.lock().unwrap_or_else(PoisonError::into_inner) = seen;
    }

    fn submit(&self, store: &WidgetStore, out: &mut Vec<Outgoing>) {
        let body = match self.body(store) {
            Ok(b) => b,
            Err(why) => return self.error(store, out, &format!("Not submitted: {why}")),
        };
        let mut notes = Vec::new();
        let reply = self
            .service
            .call_with(&mut |m| notes.push(m.to_owned()), |c| c.simulate(&body));
        for n in notes {
            self.say(
                store,
                out,
                json!({"output_type": "stream", "name": "stdout", "text": format!("{n}\n")}),
            );
        }
        match reply {
            Ok(r) => {
                *self.last.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some(r.request_id.clone());
                self.service.remember(&r.request_id);
                self.show(store, out, show::submitted(&body, &r, self.local));
                self.refresh_balance();
                self.requote(store, out);
            }
            Err(e) => self.error(store, out, &e.to_string()),
        }
    }

    fn refresh(&self, store: &WidgetStore, out: &mut Vec<Outgoing>) {
        let last = self
            .last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        let Some(id) = last else {
            return self.error(store, out, "Nothing submitted from this form yet.");
        };
        match self.service.call_with(&mut |_| {}, |c| c.request(&id)) {
            Ok(r) => self.show(store, out, show::request(&r)),
            Err(e) => self.error(store, out, &e.to_string()),
        }
    }
}

/// A handler that re-quotes when a field's value changes.
fn on_change(form: &Arc<Form>) -> EventFn {
    let form = form.clone();
    Box::new(move |event, store, out| {
        if let WidgetEvent::Update(changes) = event {
            if changes.contains_key("value") || changes.contains_key("index") {
                form.requote(store, out);
            }
        }
    })
}

/// A handler for a button's clicks.
fn on_click(form: &Arc<Form>, action: fn(&Form, &WidgetStore, &mut Vec<Outgoing>)) -> EventFn {
    let form = form.clone();
    Box::new(move |event, store, out| {
        if let WidgetEvent::Custom(content) = event {
            if content.get("event").and_then(Value::as_str) == Some("click") {
                action(&form, store, out);
            }
        }
    })
}

/// Creates a control with its own layout and style models, as the views expect.
fn control(
    ctx: &mut dyn MagicContext,
    style_model: &str,
    build: impl FnOnce(&str, &str) -> State,
    on_event: Option<EventFn>,
) -> String {
    let l = ctx.create_widget(layout(), None);
    let mut st = style(style_model);
    if style_model != "ButtonStyleModel" {
        // One width for every label, so the fields line up.
        st.insert("description_width".into(), json!("6em"));
    }
    let s = ctx.create_widget(st, None);
    ctx.create_widget(build(&l, &s), on_event)
}

/// Shows the form in the cell's output.
pub fn show(service: &SessionService, ctx: &mut dyn MagicContext) -> Result<(), MagicError> {
    let connected = service.get(ctx)?;
    let balance = service.call(ctx, |c| c.me()).ok().map(|u| u.credits);
    let form = Arc::new(Form {
        service: service.clone(),
        ids: OnceLock::new(),
        last: Mutex::new(None),
        balance: Mutex::new(balance),
        local: matches!(connected.service, Service::Embedded(_)),
    });
    let fields = fields(ctx, &form);
    let first = first_quote_html(balance, form.local);
    let quote = control(ctx, "HTMLStyleModel", |l, s| html(&first, l, s), None);
    let submit = control(
        ctx,
        "ButtonStyleModel",
        |l, s| button("Submit", "primary", l, s),
        Some(on_click(&form, Form::submit)),
    );
    let refresh = control(
        ctx,
        "ButtonStyleModel",
        |l, s| button("Refresh status", "", l, s),
        Some(on_click(&form, Form::refresh)),
    );
    let l = ctx.create_widget(layout(), None);
    let out = ctx.create_widget(output(&l), None);
    let l = ctx.create_widget(layout(), None);
    let buttons = ctx.create_widget(boxed(&[submit, refresh], true, &l), None);
    let title = title(ctx, &connected.service.describe());
    let children = [
        title,
        fields.channel.clone(),
        fields.events.clone(),
        fields.pileup.clone(),
        fields.seed.clone(),
        quote.clone(),
        buttons,
        out.clone(),
    ];
    let l = ctx.create_widget(layout(), None);
    let root = ctx.create_widget(boxed(&children, false, &l), None);
    let _ = form.ids.set(Ids {
        channel: fields.channel,
        events: fields.events,
        pileup: fields.pileup,
        seed: fields.seed,
        quote,
        output: out,
    });
    ctx.display(
        view_bundle(
            &root,
            "ColliderML simulation form (it needs a frontend with ipywidgets; elsewhere use \
             %simulate --channel C --events N)",
        ),
        json!({}),
        None,
    );
    Ok(())
}

/// The model ids of the four fields that make a request.
struct Fields {
    channel: String,
    events: String,
    pileup: String,
    seed: String,
}

/// The channel, events, pileup and seed controls, each re-quoting when it changes, set to
/// the defaults and bounded by the contract's limits.
fn fields(ctx: &mut dyn MagicContext, form: &Arc<Form>) -> Fields {
    let labels: Vec<&str> = Channel::ALL.iter().map(|c| c.name()).collect();
    let default = Channel::ALL
        .iter()
        .position(|c| *c == DEFAULT_CHANNEL)
        .unwrap_or(0);
    let (emin, emax) = (*contract::EVENTS.start(), *contract::EVENTS.end());
    let pmax = *contract::PILEUP.end();
    let channel = control(
        ctx,
        "DescriptionStyleModel",
        |l, s| dropdown(&labels, default, "Channel", l, s),
        Some(on_change(form)),
    );
    let events = control(
        ctx,
        "DescriptionStyleModel",
        |l, s| {
            bounded_int_text(
                i64::from(DEFAULT_EVENTS),
                i64::from(emin),
                i64::from(emax),
                "Events",
                l,
                s,
            )
        },
        Some(on_change(form)),
    );
    let pileup = control(
        ctx,
        "SliderStyleModel",
        |l, s| int_slider(0, 0, i64::from(pmax), 10, "Pileup ⟨μ⟩", l, s),
        Some(on_change(form)),
    );
    let seed = control(
        ctx,
        "DescriptionStyleModel",
        |l, s| bounded_int_text(42, 0, i64::from(u32::MAX), "Seed", l, s),
        Some(on_change(form)),
    );
    Fields {
        channel,
        events,
        pileup,
        seed,
    }
}

/// The quote for the default fields, shown before any field has changed.
fn first_quote_html(balance: Option<f64>, local: bool) -> String {
    let first = SimulateBody {
        channel: DEFAULT_CHANNEL,
        events: DEFAULT_EVENTS,
        pileup: 0,
        seed: 42,
    };
    let first = show::quote(
        &first,
        &contract::estimate(first.channel, first.events, 0),
        balance,
        local,
    );
    first["text/html"].as_str().unwrap_or_default().to_owned()
}

/// The heading, naming the service the form submits to.
fn title(ctx: &mut dyn MagicContext, service: &str) -> String {
    control(
        ctx,
        "HTMLStyleModel",
        |l, s| {
            html(
                &format!(
                    "<b>ColliderML simulation</b> <small>· {}</small>",
                    collm_analysis::text::html_escape(service)
                ),
                l,
                s,
            )
        },
        None,
    )
}
