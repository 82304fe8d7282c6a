{#- For every window: resolved is null exactly when the window is censored or the interaction
    is left out of FCR (outbound, unidentified caller), an observed repeat inside a complete
    window is never resolved, and an interaction left out of FCR has no repeat. A longer
    window can only find more repeats. -#}

select interaction_id
from {{ ref('int_customer_interactions_fcr_flagged') }}
where
    {% for suffix, hours in ccm_fcr_windows() -%}
        (is_resolved_{{ suffix }} is null)
        = (is_window_complete_{{ suffix }} and fcr_excluded_reason is null)
        or (fcr_excluded_reason is not null and has_repeat_{{ suffix }})
        or (
            is_window_complete_{{ suffix }}
            and has_repeat_{{ suffix }}
            and is_resolved_{{ suffix }}
        )
        or {% endfor -%}
    (has_repeat_24h and not has_repeat_72h)
    or (has_repeat_72h and not has_repeat_7d)
