export { APPROVE, HrBot, REJECT, type HrBotOptions } from './hr-bot'
export {
  CANDIDATE_LIMITS,
  candidateText,
  decisionLine,
  interviewPanelName,
  parseCandidateCommand,
  passedText,
  type Candidate,
} from './candidate'
export { buildInterviewPanel, type InterviewPanel } from './interview-panel'
