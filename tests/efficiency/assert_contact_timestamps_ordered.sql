{#- The queue and handle measures assume a segment's events happen in order: start, queue,
    connect, end. A wait or handle time computed from out-of-order timestamps would be
    negative and silently shift service level and ASA. -#}

select
    contact_id,
    started_at,
    queued_at,
    connected_at,
    ended_at
from {{ ref('int_contacts_chained') }}
where
    queued_at < started_at
    or connected_at < coalesce(queued_at, started_at)
    or ended_at < coalesce(connected_at, queued_at, started_at)
    or queue_wait_seconds < 0
