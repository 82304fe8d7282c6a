{#- For every window: resolved is null exactly when the window is censored, and an observed
    repeat inside a complete window is never resolved. A longer window can only find more
    repeats. -#}

select interaction_id
from {{ ref('int_customer_interactions_fcr_flagged') }}
where
    {% for suffix, hours in ccm_fcr_windows() -%}
        (is_resolved_{{ suffix }} is null) = is_window_complete_{{ suffix }}
        or (
            is_window_complete_{{ suffix }}
            and has_repeat_{{ suffix }}
            and is_resolved_{{ suffix }}
        )
        or {% endfor -%}
    (has_repeat_24h and not has_repeat_72h)
    or (has_repeat_72h and not has_repeat_7d)
