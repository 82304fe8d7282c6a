{#- Which systems delivered the canonical records of each reporting day: the landing contract
    and the native formats enabled by var source_systems (docs/sources.md). Contacts count on
    the day they started, agent states and bot sessions on the day they began, in the
    reporting time zone. -#}
with

contacts_by_system as (

    select
        'contacts' as source_name,
        source_system,
        {{ ccm_reporting_date('started_at') }} as reporting_date
    from {{ ref('stg_acd__contacts') }}

),

agent_states_by_system as (

    select
        'agent_states' as source_name,
        source_system,
        {{ ccm_reporting_date('started_at') }} as reporting_date
    from {{ ref('stg_acd__agent_states') }}

),

bot_sessions_by_system as (

    select
        'bot_sessions' as source_name,
        source_system,
        {{ ccm_reporting_date('started_at') }} as reporting_date
    from {{ ref('stg_bot__sessions') }}

),

records_by_system as (

    select source_name, source_system, reporting_date from contacts_by_system
    union all
    select source_name, source_system, reporting_date from agent_states_by_system
    union all
    select source_name, source_system, reporting_date from bot_sessions_by_system

),

final as (

    select
        cast(reporting_date as date) as reporting_date,
        cast(source_name as string) as source_name,
        cast(source_system as string) as source_system,
        cast(count(*) as bigint) as row_count
    from records_by_system
    group by reporting_date, source_name, source_system

)

select
    reporting_date,
    source_name,
    source_system,
    row_count
from final
