{#- How one contact segment counts in the queue measures (METRICS.md), as 0/1 columns named
    like the additive measures of int_queue_intervals_aggregated, so every model that counts
    queue outcomes classifies the edges the same way: offered (ccm_is_offered: not outbound,
    queued or routed directly; an ivr_abandoned hang-up is not), answered (an agent
    connected), abandoned (not connected, disposition abandoned), short_abandoned,
    flow_outs (offered, neither answered nor abandoned), answered_within_threshold,
    abandoned_within_threshold and asa_wait_seconds (the wait of an answered segment, else
    0). A directly routed segment has queue_wait_seconds 0 (int_contacts_chained), so it is
    answered within the threshold. `segment` is the alias of a relation with the columns of
    int_contacts_chained. -#}
{% macro ccm_queue_outcomes(segment) -%}
    {%- set is_offered = ccm_is_offered(
        segment ~ '.initiation_method', segment ~ '.queued_at', segment ~ '.connected_at'
    ) -%}
    {%- set is_answered = '(' ~ is_offered ~ ' and ' ~ segment ~ '.connected_at is not null)' -%}
    {%- set is_abandoned = '(' ~ is_offered ~ ' and ' ~ segment ~ '.connected_at is null and '
        ~ segment ~ ".disposition = 'abandoned')" -%}
    {%- set wait_seconds = segment ~ '.queue_wait_seconds' -%}
    case when {{ is_offered }} then 1 else 0 end as offered,
    case when {{ is_answered }} then 1 else 0 end as answered,
    case when {{ is_abandoned }} then 1 else 0 end as abandoned,
    case
        when {{ is_abandoned }} and {{ ccm_is_short_abandon_wait(wait_seconds) }} then 1
        else 0
    end as short_abandoned,
    case
        when {{ is_offered }} and not {{ is_answered }} and not {{ is_abandoned }} then 1
        else 0
    end as flow_outs,
    case
        when {{ is_answered }} and {{ ccm_is_within_sl_threshold(wait_seconds) }} then 1
        else 0
    end as answered_within_threshold,
    case
        when {{ is_abandoned }} and {{ ccm_is_within_sl_threshold(wait_seconds) }} then 1
        else 0
    end as abandoned_within_threshold,
    case when {{ is_answered }} then {{ wait_seconds }} else 0 end as asa_wait_seconds
{%- endmacro %}
