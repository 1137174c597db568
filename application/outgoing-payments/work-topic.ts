/** The work-signal topic of the outgoing-payment workers: a payment became SENDING. */
export const outgoingPaymentWorkTopic = 'outgoing_payment'
