{{ config(enabled=('asterisk' in var('source_systems', ['landing']))) }}

{#- Calls the queue_log left open, reported rather than guessed: a queue visit whose closing
    event (COMPLETE*, ABANDON, EXIT*, transfer) is missing, and events of a call whose
    ENTERQUEUE is missing. They are not in stg_asterisk__contacts; a warn-severity test names
    them. A call still waiting when the log was cut is open until the next day's file closes
    it. -#}

with

segments as (

    select * from {{ ref('base_asterisk__call_segments') }}

),

events as (

    select * from {{ ref('stg_asterisk__queue_events') }}
    where callid not in ('NONE', 'REALTIME')

),

unclosed_segments as (

    select
        contact_id,
        callid,
        queue_name,
        queued_at as first_event_at,
        coalesce(connected_at, queued_at) as last_event_at,
        case when connected_at is null then 'ENTERQUEUE' else 'CONNECT' end as last_event,
        'no closing event' as open_reason
    from segments
    where closing_event is null

),

entered_calls as (

    select distinct callid
    from events
    where event_name = 'ENTERQUEUE'

),

calls_without_entry as (

    select
        events.callid as contact_id,
        events.callid,
        min(events.queue_name) as queue_name,
        min(events.event_at) as first_event_at,
        max(events.event_at) as last_event_at,
        cast(null as string) as last_event,
        'no ENTERQUEUE' as open_reason
    from events
    left join entered_calls
        on events.callid = entered_calls.callid
    where
        entered_calls.callid is null
        and events.event_name in (
            'CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER', 'ABANDON', 'EXITWITHTIMEOUT',
            'EXITWITHKEY', 'EXITEMPTY', 'TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER'
        )
    group by events.callid

),

open_calls as (

    select * from unclosed_segments
    union all
    select * from calls_without_entry

)

select
    cast(contact_id as string) as contact_id,
    cast(callid as string) as callid,
    cast(queue_name as string) as queue_id,
    cast(first_event_at as timestamp) as first_event_at,
    cast(last_event_at as timestamp) as last_event_at,
    cast(last_event as string) as last_event,
    cast(open_reason as string) as open_reason
from open_calls
