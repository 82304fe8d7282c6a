{#- Offered (METRICS.md: contacts that entered a queue) read as "asked for an agent": a
    segment the customer started (not the center's outbound contact) that entered a queue, or
    that an agent connected to without queueing. Real ACDs route many calls straight to an
    agent and leave queued_at empty; dropping those from offered would count only the calls
    that waited and sink the service level. An IVR hang-up (ivr_abandoned) has neither time
    and is not offered. Arguments are SQL expressions of the segment's columns. -#}
{% macro ccm_is_offered(initiation_method, queued_at, connected_at) -%}
    (
        coalesce({{ initiation_method }}, '') <> 'outbound'
        and ({{ queued_at }} is not null or {{ connected_at }} is not null)
    )
{%- endmacro %}

{#- When an offered segment's queue events happen: it entered the queue, or, routed directly,
    was connected (its queue wait is 0). -#}
{% macro ccm_offered_at(queued_at, connected_at) -%}
    coalesce({{ queued_at }}, {{ connected_at }})
{%- endmacro %}
