{#- CXI = 100 x weighted mean of csat, fcr_rate and response_within_target_rate (weights: var
    cxi_weights). A component without data on a day and channel (no survey, no FCR-eligible
    chain, no inbound contact) is left out and the weights of the present components are
    renormalised to 1, so a missing survey neither zeroes the index nor blanks it; the index
    is null only when no component is present. cxi_weight_covered says how much of the full
    weight the index rests on. -#}
{%- set weights = var('cxi_weights') -%}

with

component_counts as (

    select
        reporting_date,
        channel,
        csat_satisfied_responses as csat_numerator,
        csat_responses as csat_denominator,
        0 as fcr_numerator,
        0 as fcr_denominator,
        0 as response_numerator,
        0 as response_denominator
    from {{ ref('fct_satisfaction_daily') }}

    union all

    select
        reporting_date,
        channel,
        0 as csat_numerator,
        0 as csat_denominator,
        fcr_resolved as fcr_numerator,
        fcr_eligible as fcr_denominator,
        0 as response_numerator,
        0 as response_denominator
    from {{ ref('int_fcr_channel_days_aggregated') }}

    union all

    select
        reporting_date,
        channel,
        0 as csat_numerator,
        0 as csat_denominator,
        0 as fcr_numerator,
        0 as fcr_denominator,
        responded_within_target as response_numerator,
        inbound_contacts as response_denominator
    from {{ ref('fct_response_daily') }}

),

channel_days as (

    select
        reporting_date,
        channel,
        cast(sum(csat_numerator) as bigint) as csat_numerator,
        cast(sum(csat_denominator) as bigint) as csat_denominator,
        cast(sum(fcr_numerator) as bigint) as fcr_numerator,
        cast(sum(fcr_denominator) as bigint) as fcr_denominator,
        cast(sum(response_numerator) as bigint) as response_numerator,
        cast(sum(response_denominator) as bigint) as response_denominator
    from component_counts
    group by reporting_date, channel

),

components as (

    select
        reporting_date,
        channel,
        csat_numerator,
        csat_denominator,
        {{ ccm_safe_divide('csat_numerator', 'csat_denominator') }} as csat,
        fcr_numerator,
        fcr_denominator,
        {{ ccm_safe_divide('fcr_numerator', 'fcr_denominator') }} as fcr_rate,
        response_numerator,
        response_denominator,
        {{ ccm_safe_divide('response_numerator', 'response_denominator') }}
            as response_within_target_rate
    from channel_days

),

components_weighted as (

    select
        reporting_date,
        channel,
        csat_numerator,
        csat_denominator,
        csat,
        fcr_numerator,
        fcr_denominator,
        fcr_rate,
        response_numerator,
        response_denominator,
        response_within_target_rate,
        coalesce({{ weights['csat'] }} * csat, 0)
        + coalesce({{ weights['fcr'] }} * fcr_rate, 0)
        + coalesce({{ weights['response'] }} * response_within_target_rate, 0)
            as weighted_component_sum,
        case when csat is not null then {{ weights['csat'] }} else 0 end
        + case when fcr_rate is not null then {{ weights['fcr'] }} else 0 end
        + case
            when response_within_target_rate is not null then {{ weights['response'] }} else 0
        end
            as present_weight
    from components

),

final as (

    select
        reporting_date,
        channel,
        csat_numerator,
        csat_denominator,
        csat,
        fcr_numerator,
        fcr_denominator,
        fcr_rate,
        response_numerator,
        response_denominator,
        response_within_target_rate,
        cast({{ weights['csat'] }} as double) as cxi_weight_csat,
        cast({{ weights['fcr'] }} as double) as cxi_weight_fcr,
        cast({{ weights['response'] }} as double) as cxi_weight_response,
        cast(present_weight as double)
        / ({{ weights['csat'] }} + {{ weights['fcr'] }} + {{ weights['response'] }})
            as cxi_weight_covered,
        100 * {{ ccm_safe_divide('weighted_component_sum', 'present_weight') }} as cxi
    from components_weighted

)

select * from final
