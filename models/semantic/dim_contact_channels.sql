{#- The channel profile every contact-based semantic model joins to through the entity `contact`,
    so that metrics from different marts share one `contact__channel` dimension (MetricFlow
    allows a dimension on one semantic model per entity). One row per channel of the landing
    contract, which are the keys of var response_targets, plus '(none)', which marts use when a
    record names no channel, and 'unallocated', which the cost marts use for cost that cannot be
    attributed to a channel. -#}
with

channels as (

    {% for channel, target_seconds in var('response_targets').items() %}
        select
            cast('{{ channel }}' as {{ dbt.type_string() }}) as channel,
            cast({{ target_seconds }} as {{ dbt.type_bigint() }}) as response_target_seconds
        union all
    {% endfor %}
    select
        cast('(none)' as {{ dbt.type_string() }}) as channel,
        cast(null as {{ dbt.type_bigint() }}) as response_target_seconds
    union all
    select
        cast('unallocated' as {{ dbt.type_string() }}) as channel,
        cast(null as {{ dbt.type_bigint() }}) as response_target_seconds

)

select
    channel,
    case
        when channel in ('phone', 'ivr') then 'voice'
        when channel in ('(none)', 'unallocated') then channel
        else 'digital'
    end as channel_kind,
    response_target_seconds
from channels
