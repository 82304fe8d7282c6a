{#- Every offered contact leaves the queue exactly one way, and the sub-counts stay inside
    their parents: offered = answered + abandoned + flow_outs, short abandons and abandons
    within T are abandons, answered within T are answered. -#}

select
    interval_start,
    channel,
    queue_id
from {{ ref('fct_queue_intervals') }}
where
    offered != answered + abandoned + flow_outs
    or short_abandoned > abandoned
    or short_abandoned > abandoned_within_threshold
    or abandoned_within_threshold > abandoned
    or answered_within_threshold > answered
    or handle_seconds < 0
