{#- The published queue metrics of both efficiency marts, from additive measures that are
    already summed to the mart's grain (columns named like the measures in
    int_queue_intervals_aggregated). Keeping them in one place makes the daily and the
    interval mart compute every rate the same way. Renders a list of select expressions. -#}
{% macro ccm_queue_metric_columns() -%}
    {%- set sl_numerator = ccm_sl_numerator('answered_within_threshold', 'abandoned_within_threshold') -%}
    {%- set sl_denominator = ccm_sl_denominator(
        'offered', 'answered', 'abandoned', 'abandoned_within_threshold', 'short_abandoned'
    ) -%}
    {%- set service_level = ccm_service_level(
        'offered', 'answered', 'abandoned', 'answered_within_threshold',
        'abandoned_within_threshold', 'short_abandoned'
    ) -%}
    cast(offered as bigint) as offered,
    cast(answered as bigint) as answered,
    cast(abandoned as bigint) as abandoned,
    cast(short_abandoned as bigint) as short_abandoned,
    cast(flow_outs as bigint) as flow_outs,
    cast(answered_within_threshold as bigint) as answered_within_threshold,
    cast(abandoned_within_threshold as bigint) as abandoned_within_threshold,
    cast({{ sl_numerator }} as bigint) as service_level_numerator,
    cast({{ sl_denominator }} as bigint) as service_level_denominator,
    {{ service_level }} as service_level,
    cast({{ var('sl_target') }} as double) as sl_target,
    {{ service_level }} >= {{ var('sl_target') }} as meets_sl_target,
    cast(asa_wait_seconds as double) as asa_wait_seconds,
    {{ ccm_safe_divide('asa_wait_seconds', 'answered') }} as asa_seconds,
    cast(handled_contacts as bigint) as handled_contacts,
    cast(handle_seconds as double) as handle_seconds,
    {{ ccm_safe_divide('handle_seconds', 'handled_contacts') }} as aht_seconds,
    cast(answered as bigint) as answer_rate_numerator,
    cast(offered - short_abandoned as bigint) as answer_rate_denominator,
    {{ ccm_safe_divide('answered', 'offered - short_abandoned') }} as answer_rate,
    {#- Short abandons leave the numerator as well as the denominator: read literally,
        abandoned / (offered - short) exceeds 1 when most abandons are short. -#}
    cast(abandoned - short_abandoned as bigint) as abandon_rate_numerator,
    cast(offered - short_abandoned as bigint) as abandon_rate_denominator,
    {{ ccm_safe_divide('abandoned - short_abandoned', 'offered - short_abandoned') }} as abandon_rate,
    {% for suffix, hours in ccm_fcr_windows() -%}
        cast(fcr_resolved_{{ suffix }} as bigint) as fcr_resolved_{{ suffix }},
        cast(fcr_eligible_{{ suffix }} as bigint) as fcr_eligible_{{ suffix }},
        {{ ccm_safe_divide('fcr_resolved_' ~ suffix, 'fcr_eligible_' ~ suffix) }}
            as fcr_rate_{{ suffix }},
    {% endfor -%}
    cast(fcr_excluded_unidentified as bigint) as fcr_excluded_unidentified,
    cast(fcr_excluded_outbound as bigint) as fcr_excluded_outbound,
    cast(paid_seconds as double) as paid_seconds,
    cast(labor_cost as double) as labor_cost,
    {{ ccm_safe_divide('labor_cost', 'handled_contacts') }} as cost_per_contact
{%- endmacro %}

{#- The additive measures the marts sum, in the order they are published. -#}
{% macro ccm_queue_additive_measures() -%}
    {%- set measures = [
        'offered', 'answered', 'abandoned', 'short_abandoned', 'flow_outs',
        'answered_within_threshold', 'abandoned_within_threshold', 'asa_wait_seconds',
        'handled_contacts', 'handle_seconds',
    ] -%}
    {%- for suffix, hours in ccm_fcr_windows() -%}
        {%- do measures.append('fcr_resolved_' ~ suffix) -%}
        {%- do measures.append('fcr_eligible_' ~ suffix) -%}
    {%- endfor -%}
    {%- do measures.append('fcr_excluded_unidentified') -%}
    {%- do measures.append('fcr_excluded_outbound') -%}
    {%- do measures.append('paid_seconds') -%}
    {%- do measures.append('labor_cost') -%}
    {{ return(measures) }}
{%- endmacro %}

{#- sum(<column>) as <column> for each column, comma-separated (one aggregate per measure). -#}
{% macro ccm_sum_columns(columns) -%}
    {%- set sums = [] -%}
    {%- for column in columns -%}
        {%- do sums.append('sum(' ~ column ~ ') as ' ~ column) -%}
    {%- endfor -%}
    {{ sums | join(',\n        ') }}
{%- endmacro %}
