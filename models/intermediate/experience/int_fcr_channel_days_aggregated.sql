{#- FCR counts per reporting date and channel on the default window, with the attribution of
    the generation-1 marts: a handled contact chain counts for the day it ended and for its
    first channel. Censored chains (is_resolved_default null) are out of the denominator. -#}
with

handled_chains as (

    select
        channel,
        ended_at,
        is_resolved_default
    from {{ ref('int_customer_interactions_fcr_flagged') }}
    where interaction_type = 'contact_chain' and is_handled

),

channel_days as (

    select
        {{ ccm_reporting_date('ended_at') }} as reporting_date,
        channel,
        count(case when is_resolved_default then 1 end) as fcr_resolved,
        count(is_resolved_default) as fcr_eligible
    from handled_chains
    group by {{ ccm_reporting_date('ended_at') }}, channel

)

select * from channel_days
