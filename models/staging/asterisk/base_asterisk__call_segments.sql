{{ config(enabled=('asterisk' in var('source_systems', ['landing']))) }}

{#- Every queue visit of a call, assembled from its queue_log events, with the event that
    closed it (null while none did). A caller's channel keeps its uniqueid (callid) when an
    agent transfers it into another queue, so one callid holds one segment per ENTERQUEUE:
    segment 1 is the call's first queue visit, each transfer opens the next. Events are
    ordered by time whatever their order in the file; in one second, a transfer (which closes
    the previous segment) comes before an ENTERQUEUE, which comes before a CONNECT, which
    comes before the closing events. Events before a call's first ENTERQUEUE (its ENTERQUEUE
    line is missing) have segment 0 and open no segment (stg_asterisk__open_calls counts them). -#}

with

events as (

    select * from {{ ref('stg_asterisk__queue_events') }}
    where
        callid not in ('NONE', 'REALTIME')
        and event_name in (
            'ENTERQUEUE', 'CONNECT', 'COMPLETEAGENT', 'COMPLETECALLER', 'ABANDON',
            'EXITWITHTIMEOUT', 'EXITWITHKEY', 'EXITEMPTY', 'TRANSFER', 'BLINDTRANSFER',
            'ATTENDEDTRANSFER'
        )

),

events_ranked as (

    select
        *,
        case
            when event_name in ('TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER') then 0
            when event_name = 'ENTERQUEUE' then 1
            when event_name = 'CONNECT' then 2
            else 3
        end as same_second_rank
    from events

),

events_segmented as (

    select
        *,
        sum(case when event_name = 'ENTERQUEUE' then 1 else 0 end) over (
            partition by callid
            order by event_at, same_second_rank, line_key
            rows between unbounded preceding and current row
        ) as segment_number
    from events_ranked

),

entries as (

    select
        callid,
        segment_number,
        queue_name,
        event_at as queued_at,
        caller_phone_hash,
        caller_number_hash,
        caller_label,
        is_caller_identifiable,
        batch_date
    from events_segmented
    where event_name = 'ENTERQUEUE'

),

connects_ranked as (

    select
        callid,
        segment_number,
        agent,
        event_at as connected_at,
        wait_seconds,
        row_number() over (
            partition by callid, segment_number order by event_at, line_key
        ) as connect_rank
    from events_segmented
    where event_name = 'CONNECT'

),

first_connects as (

    select * from connects_ranked
    where connect_rank = 1

),

closings_ranked as (

    select
        callid,
        segment_number,
        event_name as closing_event,
        agent as closing_agent,
        event_at as ended_at,
        wait_seconds as closing_wait_seconds,
        talk_seconds as closing_talk_seconds,
        row_number() over (
            partition by callid, segment_number order by event_at, same_second_rank, line_key
        ) as closing_rank
    from events_segmented
    where event_name not in ('ENTERQUEUE', 'CONNECT')

),

first_closings as (

    select * from closings_ranked
    where closing_rank = 1

),

segments as (

    select
        entries.callid,
        entries.segment_number,
        case
            when entries.segment_number = 1 then entries.callid
            else {{ dbt.concat([
                'entries.callid', "'-'", 'cast(entries.segment_number as string)'
            ]) }}
        end as contact_id,
        case
            when entries.segment_number = 1 then null
            when entries.segment_number = 2 then entries.callid
            else {{ dbt.concat([
                'entries.callid', "'-'", 'cast(entries.segment_number - 1 as string)'
            ]) }}
        end as previous_contact_id,
        case when entries.segment_number > 1 then entries.callid end as initial_contact_id,
        entries.queue_name,
        entries.queued_at,
        entries.caller_phone_hash,
        entries.caller_number_hash,
        entries.caller_label,
        entries.is_caller_identifiable,
        entries.batch_date,
        coalesce(first_connects.agent, first_closings.closing_agent) as agent,
        first_connects.connected_at,
        first_connects.wait_seconds as connect_wait_seconds,
        first_closings.closing_event,
        first_closings.ended_at,
        first_closings.closing_wait_seconds,
        first_closings.closing_talk_seconds
    from entries
    left join first_connects
        on
            entries.callid = first_connects.callid
            and entries.segment_number = first_connects.segment_number
    left join first_closings
        on
            entries.callid = first_closings.callid
            and entries.segment_number = first_closings.segment_number

)

select * from segments
