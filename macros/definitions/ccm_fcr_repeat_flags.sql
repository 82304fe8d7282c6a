{#- First contact resolution, repeat-contact method (METRICS.md, fcr_rate).

    An interaction is resolved within a window when the same customer (and, with
    match_reason, the same contact reason) starts no other interaction on any channel after it
    started and no later than ended_at + window (inclusive: a repeat exactly at the edge
    counts). Interactions are whole chains, so the transfer and callback segments of one chain
    are never repeats of each other, and a bot session that handed off belongs to the chain it
    handed off into.

    A window that reaches past the end of the data cannot be judged yet (right-censoring): the
    row gets is_window_complete_<w> = false and is_resolved_<w> = null, which keeps it out of
    every FCR denominator. has_repeat_<w> is still reported as observed so far.

    Only contacts the customer makes are judged and count as repeats: an interaction with a
    fcr_excluded_reason (the center's outbound contact, an unidentified caller) is neither an
    FCR candidate (is_resolved_<w> null, has_repeat_<w> false) nor anyone's repeat.

    Renders one select: every column of `columns` from `interactions`, then
    has_repeat_<w>, is_window_complete_<w> and is_resolved_<w> for each published window.
    Only the earliest qualifying later start matters, so one bounded join covers all windows. -#}
{% macro ccm_fcr_repeat_flags(
    interactions,
    candidates,
    end_of_data,
    columns,
    match_reason=none,
    windows=none
) -%}
    {%- set match_reason = var('fcr_match_reason') if match_reason is none else match_reason -%}
    {%- set windows = ccm_fcr_windows() if windows is none else windows -%}
    {%- set longest_seconds = (windows | map(attribute=1) | max) * 3600 -%}
    select
        {% for column in columns -%}
            interactions.{{ column }},
        {% endfor -%}
        {%- for suffix, hours in windows %}
            {%- set window_end = dbt.dateadd('second', (hours * 3600) | int, 'interactions.ended_at') %}
            coalesce(next_interactions.next_started_at <= {{ window_end }}, false)
                as has_repeat_{{ suffix }},
            {{ window_end }} <= data_end.end_of_data_at as is_window_complete_{{ suffix }},
            case
                when
                    {{ window_end }} <= data_end.end_of_data_at
                    and interactions.fcr_excluded_reason is null
                    then not coalesce(next_interactions.next_started_at <= {{ window_end }}, false)
            end as is_resolved_{{ suffix }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ interactions }} as interactions
    cross join (select max(end_of_data_at) as end_of_data_at from {{ end_of_data }}) as data_end
    left join (
        select
            earlier.interaction_id,
            min(later.started_at) as next_started_at
        from {{ interactions }} as earlier
        inner join {{ candidates }} as later
            on
                earlier.customer_id = later.customer_id
                and earlier.fcr_excluded_reason is null
                and later.fcr_excluded_reason is null
                and later.started_at > earlier.started_at
                and later.started_at <= {{ dbt.dateadd('second', longest_seconds | int, 'earlier.ended_at') }}
                {%- if match_reason %}
                    and earlier.contact_reason = later.contact_reason
                {%- endif %}
        group by earlier.interaction_id
    ) as next_interactions
        on interactions.interaction_id = next_interactions.interaction_id
{%- endmacro %}

{#- Why an interaction is neither an FCR candidate nor a repeat, or null when it is both: a
    chain the center started (first segment outbound: the spec counts only contacts the
    customer makes; a callback the customer asked for stays in its chain) or a caller that was
    not identified (null customer_id, see ccm_customer_id: their contacts cannot be matched
    to a later one). Outbound wins when both hold, as nobody called in. Bot sessions pass
    'null' as initiation_method. -#}
{% macro ccm_fcr_excluded_reason(initiation_method, customer_id) -%}
    case
        when {{ initiation_method }} = 'outbound' then 'outbound'
        when {{ customer_id }} is null then 'unidentified'
    end
{%- endmacro %}

{#- A select of the candidate ends of the data for right-censoring, one row each in column
    end_of_data_at (the caller takes their max): the latest start of any contact segment,
    transfer segments included, and of any bot session, handed off or not. Every reader of the
    end of the data uses this one, so FCR and bot resolution censor alike. -#}
{% macro ccm_data_ends() -%}
    select max(started_at) as end_of_data_at
    from {{ ref('int_contacts_chained') }}

    union all

    select max(started_at) as end_of_data_at
    from {{ ref('stg_bot__sessions') }}
{%- endmacro %}
